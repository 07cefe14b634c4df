"""The site's content pages and settings. No learner data here."""

from cms.models.background import ScheduledRun, WorkerHeartbeat
from cms.models.guidance import ConversationGuidePage, GuidanceIndexPage, ResourcePage
from cms.models.lectures import LectureChapter, LectureIndexPage, LecturePage, LectureViewCount
from cms.models.site import ConcernContact, HomePage, SiteSettings, StandardPage
from cms.models.statement import AccessibilityProblem, AccessibilityStatementPage

__all__ = [
    "AccessibilityProblem",
    "AccessibilityStatementPage",
    "ConcernContact",
    "ConversationGuidePage",
    "GuidanceIndexPage",
    "HomePage",
    "LectureChapter",
    "LectureIndexPage",
    "LecturePage",
    "LectureViewCount",
    "ResourcePage",
    "ScheduledRun",
    "SiteSettings",
    "StandardPage",
    "WorkerHeartbeat",
]
