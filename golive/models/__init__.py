"""Models of the Deployment (go-live) app: readiness, cutover, go/no-go, support plan, training, guides."""

from golive.models.cutover import CutoverRun, CutoverRunTask, CutoverTask, Runbook, TaskType
from golive.models.decisions import GoNoGoDecision
from golive.models.people import (
    Attendance,
    EscalationLevel,
    SupportPlan,
    SupportTeam,
    TrainingSession,
    UserGuide,
    UserGuideVersion,
)
from golive.models.readiness import Category, ReadinessCriterion, ReadinessResult, ReadinessRun

__all__ = [
    "Attendance",
    "Category",
    "CutoverRun",
    "CutoverRunTask",
    "CutoverTask",
    "EscalationLevel",
    "GoNoGoDecision",
    "ReadinessCriterion",
    "ReadinessResult",
    "ReadinessRun",
    "Runbook",
    "SupportPlan",
    "SupportTeam",
    "TaskType",
    "TrainingSession",
    "UserGuide",
    "UserGuideVersion",
]
