from .learning import Completion, Enrolment, ModuleProgress, ReflectionAnswer
from .organisation import ManagerResponsibility, StaffMember, TargetGroup, Unit
from .pages import CourseIndexPage, CoursePage, ModulePage

__all__ = [
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "ManagerResponsibility",
    "ModulePage",
    "ModuleProgress",
    "ReflectionAnswer",
    "StaffMember",
    "TargetGroup",
    "Unit",
]
