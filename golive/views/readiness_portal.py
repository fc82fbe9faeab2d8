"""The client portal's readiness page: how ready the project is, as the client may see it.

The summary is ``selectors.summary`` for the caller (for a client role: recomputed over the
client-visible results, an internal blocker neither shown nor counted); the results listed
are the client-visible ones only, whoever looks (the portal is the client's view); the manual
criteria the caller owns come with the assessment form. Nothing internal: no internal
criterion or result, no run worker, query count or error.
"""

from django.views.generic import TemplateView

from golive import selectors
from golive.forms_readiness import AssessForm
from golive.models import ReadinessCriterion
from golive.views.readiness import by_category, result_counts, with_evidence
from golive.views.readiness_criteria import CriterionAssessView
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability

C = Capability


class PortalReadinessView(ProjectAccessMixin, TemplateView):
    template_name = "golive/portal/readiness_home.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        latest = selectors.latest_run(user=user, project=project)
        results = selectors.result_list(user=user, run=latest).filter(internal=False) if latest else []
        results = with_evidence(results, internal=False)
        mine = list(
            selectors.criterion_list(user=user).filter(
                project=project,
                kind=ReadinessCriterion.Kind.MANUAL,
                owner=user,
                active=True,
                internal=False,
            )
        )
        for criterion in mine:
            criterion.assess_form = AssessForm(initial={"version": criterion.version}, auto_id=f"c{criterion.pk}_%s")
        summary = selectors.summary(user=user, run=latest) if latest else None
        context.update(
            latest=latest,
            summary=summary,
            counts=result_counts(summary),
            groups=by_category(results),
            mine=mine,
        )
        return context


class PortalCriterionAssessView(CriterionAssessView):
    """The portal's assessment of a manual criterion: back to the portal page afterwards."""

    portal = True
