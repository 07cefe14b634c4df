from .learning import Completion, Enrolment, ModuleProgress, ReflectionAnswer
from .organisation import ManagerResponsibility, StaffMember, TargetGroup, Unit
from .pages import CourseIndexPage, CoursePage, ModulePage
from .reminders import Reminder
from .sessions import Attendance, Registration, Session

__all__ = [
    "Attendance",
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "ManagerResponsibility",
    "ModulePage",
    "ModuleProgress",
    "ReflectionAnswer",
    "Reminder",
    "Registration",
    "Session",
    "StaffMember",
    "TargetGroup",
    "Unit",
]
