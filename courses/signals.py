"""What courses tells the rest of the project, without knowing who listens."""

from django.dispatch import Signal

# Sent after the transaction that recorded a completion has committed.
# Keyword arguments: completion.
course_completed = Signal()

# Sent after a completion was withdrawn (an attendance undone). Keyword arguments: completion.
completion_withdrawn = Signal()
