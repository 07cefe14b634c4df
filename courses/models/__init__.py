from .learning import Completion, Enrolment, ModuleProgress, ReflectionAnswer
from .organisation import ManagerResponsibility, StaffMember, TargetGroup, Unit
from .pages import CourseIndexPage, CoursePage, ModulePage
from .reminders import Reminder

__all__ = [
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "ManagerResponsibility",
    "ModulePage",
    "ModuleProgress",
    "ReflectionAnswer",
    "Reminder",
    "StaffMember",
    "TargetGroup",
    "Unit",
]
