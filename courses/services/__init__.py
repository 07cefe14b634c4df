"""Writes. Import from the submodule: courses.services.learning, ..."""
