"""SCORM packages: pure functions that check a zip, read its manifest and judge a SCO's
runtime data. They touch no database; `courses.services.scorm` uses them."""
