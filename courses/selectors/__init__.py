"""Read queries. Import from the submodule: courses.selectors.organisation, .learning, ..."""
