from .accounts import ExternalAccount, SignInRefusal
from .followup import FollowupFile, FollowupSnapshot, SnapshotImmutable
from .history import (
    CoordinatorScope,
    Placement,
    TargetGroupMember,
    TargetGroupRule,
    UnitVersion,
)
from .hr_import import HrImport
from .learning import Completion, Enrolment, ModuleProgress, ReflectionAnswer
from .notices import DigestOptOut, Notice, NoticeKind, NoticeWording, ReminderSettings, days_parse
from .organisation import ManagerResponsibility, StaffMember, TargetGroup, Unit
from .packages import ScormAttempt, ScormPackage, ScormPackageVersion, ScormScoData
from .pages import CourseIndexPage, CoursePage, ModulePage
from .reminders import Reminder
from .retention import RetentionRun
from .sessions import Attendance, Registration, Session

__all__ = [
    "CoordinatorScope",
    "HrImport",
    "Placement",
    "TargetGroupMember",
    "TargetGroupRule",
    "UnitVersion",
    "Attendance",
    "Completion",
    "DigestOptOut",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "ExternalAccount",
    "FollowupFile",
    "FollowupSnapshot",
    "ManagerResponsibility",
    "ModulePage",
    "ModuleProgress",
    "Notice",
    "NoticeKind",
    "NoticeWording",
    "ReflectionAnswer",
    "Reminder",
    "Registration",
    "ReminderSettings",
    "ScormAttempt",
    "ScormPackage",
    "ScormPackageVersion",
    "ScormScoData",
    "RetentionRun",
    "Session",
    "SignInRefusal",
    "SnapshotImmutable",
    "StaffMember",
    "TargetGroup",
    "Unit",
    "days_parse",
]
