"""Read queries for coverage and follow-up reports.

One selector computes the numbers (`courses.reports.coverage`); the screen, the exports,
the command line and the follow-up report all read them from there.
"""
