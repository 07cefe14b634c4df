"""Certificates issued for completions."""
