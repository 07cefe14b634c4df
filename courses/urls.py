"""The learner's, the coordinator's and the manager's pages outside the Wagtail page tree.

Each views module owns its own urlpatterns; this only joins them.
"""

from courses.views import learning, manager, reports, scorm, sessions

app_name = "courses"

urlpatterns = (
    learning.urlpatterns
    + scorm.urlpatterns
    + sessions.urlpatterns
    + reports.urlpatterns
    + manager.urlpatterns
)
