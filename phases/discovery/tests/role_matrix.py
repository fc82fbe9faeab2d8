"""The discovery role matrix as data: ``MATRIX = {action: {persona: status}}``, the request
of each action (``REQUESTS[action](client, objects)``) and, for writes, their effect
(``EFFECTS[action](objects)``: true when the write happened). ``test_isolation.py`` runs
it, one case per cell; the statuses follow ARCHITECTURE.md's role table.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.discovery.models import DiscoverySignoff
from phases.discovery.tests import factories as f
from projects.models import Approval
from projects.tests.isolation import PERSONAS

DASHBOARD_CRUD = ["kickoff", "stakeholder", "process", "requirement", "raid", "wave", "document"]
API_BASENAMES = [
    "kickoff",
    "stakeholder",
    "current-process",
    "requirement",
    "raid-item",
    "rollout-wave",
    "plan-document",
    "signoff",
]

FIRM = {"pm", "consultant"}
CLIENT = {"sponsor", "key_user", "viewer"}
MEMBERS = FIRM | CLIENT

API_OF = {
    "kickoff": "kickoff",
    "stakeholder": "stakeholder",
    "process": "current-process",
    "requirement": "requirement",
    "raid": "raid-item",
    "wave": "rollout-wave",
    "document": "plan-document",
    "signoff": "signoff",
}


class Objects(dict):
    """One object of each kind in ``project`` (none internal), keyed like the dashboard
    routes, made on first use: a case builds only what its request needs.

    ``signoff`` is pending, requested by ``requester``; ``agreed`` is an agreed requirement
    (what a sign-off request needs).
    """

    def __init__(self, project, *, requester):
        super().__init__()
        self.project = project
        self._requester = requester  # a user, or a function giving one (made on first use too)

    @property
    def requester(self):
        if callable(self._requester):
            self._requester = self._requester()
        return self._requester

    def __missing__(self, key):
        project = self.project
        build = {
            "kickoff": lambda: f.KickoffFactory(project=project),
            "stakeholder": lambda: f.StakeholderFactory(project=project),
            "process": lambda: f.CurrentProcessFactory(project=project),
            "requirement": lambda: f.RequirementFactory(project=project, internal_notes="Giá nội bộ: 15 ngày công"),
            "raid": lambda: f.RaidItemFactory(project=project),
            "wave": lambda: f.RolloutWaveFactory(project=project),
            "document": lambda: f.PlanDocumentFactory(project=project),
            "signoff": lambda: f.DiscoverySignoffFactory(project=project, by=self.requester),
            "agreed": lambda: f.RequirementFactory(
                project=project, status="agreed", fit_gap="fit", resolution="standard"
            ),
        }[key]
        self[key] = build()
        return self[key]


# --- the role matrix: {action: {persona: status}} ---------------------------------------


def by_role(firm: int, client: int, outsider: int) -> dict[str, int]:
    """A matrix row where the firm roles, the client roles and the outsider differ."""
    return {p: firm if p in FIRM else client if p in CLIENT else outsider for p in PERSONAS}


def approvers(allowed: int, refused: int, outsider: int) -> dict[str, int]:
    """A row for deciding a sign-off: PM and sponsor may (neither requested it)."""
    return {p: allowed if p in {"pm", "sponsor"} else refused if p in MEMBERS else outsider for p in PERSONAS}


READ = by_role(200, 200, 404)
EDIT_PAGE = by_role(200, 403, 404)
PAGE_WRITE = by_role(302, 403, 404)


def _create_payload(key, project):
    code = project.code
    return {
        "kickoff": {"project": code, "title": "Kick-off", "meeting_date": "2026-01-08T09:00:00Z"},
        "stakeholder": {"project": code, "name": "Nguyễn Văn An"},
        "process": {"project": code, "business_area": "finance", "name": "Công nợ phải trả"},
        "requirement": {"project": code, "title": "Hóa đơn điện tử", "business_area": "finance"},
        "raid": {"project": code, "kind": "assumption", "title": "Client supplies master data"},
        "wave": {
            "project": code,
            "name": "Wave X",
            "start_date": "2026-03-01",
            "golive_date": "2026-05-01",
            "sites": [{"company": "Sao Mai", "site": "Bình Dương"}],
        },
        "document": {
            "project": code,
            "kind": "preparation",
            "title": "Checklist",
            "file": SimpleUploadedFile("checklist.txt", "Chuẩn bị kho".encode(), "text/plain"),
        },
    }[key]


PATCHES = {
    "kickoff": {"goals": "Khóa sổ trong 5 ngày"},
    "stakeholder": {"title": "CFO"},
    "process": {"volumes": "1,000 / month"},
    "requirement": {"priority": "must"},
    "raid": {"status": "closed"},
    "wave": {"description": "Pilot"},
    "document": {"title": "Checklist v2"},
}


def _api(name, *args):
    return reverse(f"discovery-api:{name}", args=args)


def _page(name, o, *args):
    return reverse(f"discovery:{name}", args=[o.project.code, *args])


def _gone(key):
    return lambda o: not type(o[key]).objects.filter(pk=o[key].pk).exists()


MATRIX: dict[str, dict[str, int]] = {}
REQUESTS: dict = {}
EFFECTS: dict = {}

for _key in sorted(PATCHES):
    _base = API_OF[_key]
    MATRIX |= {
        f"api.{_key}.list": dict.fromkeys(PERSONAS, 200),
        f"api.{_key}.detail": READ,
        f"api.{_key}.create": by_role(201, 403, 400),
        f"api.{_key}.update": by_role(200, 403, 404),
        f"api.{_key}.delete": by_role(204, 403, 404),
    }
    REQUESTS |= {
        f"api.{_key}.list": lambda c, o, b=_base: c.get(_api(f"{b}-list")),
        f"api.{_key}.detail": lambda c, o, b=_base, k=_key: c.get(_api(f"{b}-detail", o[k].pk)),
        f"api.{_key}.create": lambda c, o, b=_base, k=_key: c.post(
            _api(f"{b}-list"), _create_payload(k, o.project), format="multipart" if k == "document" else "json"
        ),
        f"api.{_key}.update": lambda c, o, b=_base, k=_key: c.patch(
            _api(f"{b}-detail", o[k].pk), {"version": o[k].version, **PATCHES[k]}, format="json"
        ),
        f"api.{_key}.delete": lambda c, o, b=_base, k=_key: c.delete(_api(f"{b}-detail", o[k].pk)),
    }
    EFFECTS[f"api.{_key}.delete"] = _gone(_key)

MATRIX |= {
    "api.signoff.list": dict.fromkeys(PERSONAS, 200),
    "api.signoff.detail": READ,
    # an agreed requirement and no pending sign-off: the firm may ask
    "api.signoff.create": by_role(201, 403, 400),
    # one is already pending: nobody may ask for another
    "api.signoff.create-while-pending": by_role(400, 403, 400),
    "api.signoff.decide": approvers(200, 403, 404),
    "api.kickoff.raci": by_role(200, 403, 404),
    "api.requirement.export": READ,
    "api.requirement.import": by_role(201, 403, 400),
    "api.document.download": READ,
}


def _raci(c, o):
    cells = {f"u{o.requester.pk}": "A"}
    return c.post(
        _api("kickoff-raci", o["kickoff"].pk),
        {"version": o["kickoff"].version, "rows": [{"activity": "Steering", "cells": cells}]},
        format="json",
    )


def _import(c, o):
    upload = SimpleUploadedFile("reqs.csv", "title,business_area\nBáo cáo thuế,finance\n".encode(), "text/csv")
    return c.post(_api("requirement-import"), {"project": o.project.code, "file": upload}, format="multipart")


def _request_signoff(c, o, *, pending: bool):
    if pending:
        assert o["signoff"].approval.decision == "pending"
    else:
        assert o["agreed"].status == "agreed"
    return c.post(_api("signoff-list"), {"project": o.project.code}, format="json")


def _request_signoff_page(c, o):
    assert o["agreed"].status == "agreed"
    return c.post(_page("signoff_request", o), {"summary": "x"})


REQUESTS |= {
    "api.signoff.list": lambda c, o: c.get(_api("signoff-list")),
    "api.signoff.detail": lambda c, o: c.get(_api("signoff-detail", o["signoff"].pk)),
    "api.signoff.create": lambda c, o: _request_signoff(c, o, pending=False),
    "api.signoff.create-while-pending": lambda c, o: _request_signoff(c, o, pending=True),
    "api.signoff.decide": lambda c, o: c.post(
        _api("signoff-decide", o["signoff"].pk), {"decision": "rejected"}, format="json"
    ),
    "api.kickoff.raci": _raci,
    "api.requirement.export": lambda c, o: c.get(_api("requirement-export"), {"project": o.project.code}),
    "api.requirement.import": _import,
    "api.document.download": lambda c, o: c.get(_api("plan-document-download", o["document"].pk)),
}
EFFECTS |= {
    "api.signoff.create": lambda o: DiscoverySignoff.objects.filter(project=o.project).exists(),
    "api.signoff.decide": lambda o: Approval.objects.get(pk=o["signoff"].approval_id).decision == "rejected",
    "api.requirement.import": lambda o: o.project.requirements.filter(title="Báo cáo thuế").exists(),
}

# --- dashboard and portal pages

for _key in DASHBOARD_CRUD:
    MATRIX |= {
        f"page.{_key}.list": READ,
        f"page.{_key}.detail": READ,
        f"page.{_key}.create": EDIT_PAGE,
        f"page.{_key}.edit": EDIT_PAGE,
        f"page.{_key}.delete": PAGE_WRITE,
    }
    REQUESTS |= {
        f"page.{_key}.list": lambda c, o, k=_key: c.get(_page(f"{k}_list", o)),
        f"page.{_key}.detail": lambda c, o, k=_key: c.get(_page(f"{k}_detail", o, o[k].pk)),
        f"page.{_key}.create": lambda c, o, k=_key: c.get(_page(f"{k}_create", o)),
        f"page.{_key}.edit": lambda c, o, k=_key: c.get(_page(f"{k}_edit", o, o[k].pk)),
        f"page.{_key}.delete": lambda c, o, k=_key: c.post(_page(f"{k}_delete", o, o[k].pk)),
    }
    EFFECTS[f"page.{_key}.delete"] = _gone(_key)

MATRIX |= {
    "page.overview": READ,
    "page.kickoff.print": READ,
    "page.kickoff.raci": EDIT_PAGE,
    "page.requirement.import": EDIT_PAGE,
    "page.requirement.export": READ,
    "page.document.download": READ,
    "page.requirement.status": PAGE_WRITE,
    "page.signoff.request": PAGE_WRITE,
    "portal.signoff": READ,
    "portal.signoff.decide": approvers(302, 403, 404),
}
REQUESTS |= {
    "page.overview": lambda c, o: c.get(_page("overview", o)),
    "page.kickoff.print": lambda c, o: c.get(_page("kickoff_print", o, o["kickoff"].pk)),
    "page.kickoff.raci": lambda c, o: c.get(_page("kickoff_raci", o, o["kickoff"].pk)),
    "page.requirement.import": lambda c, o: c.get(_page("requirement_import", o)),
    "page.requirement.export": lambda c, o: c.get(_page("requirement_export", o)),
    "page.document.download": lambda c, o: c.get(_page("document_download", o, o["document"].pk)),
    "page.requirement.status": lambda c, o: c.post(
        _page("requirement_status", o, o["requirement"].pk), {"status": "reviewed", "version": o["requirement"].version}
    ),
    "page.signoff.request": _request_signoff_page,
    "portal.signoff": lambda c, o: c.get(reverse("discovery-portal:signoff", args=[o.project.code])),
    "portal.signoff.decide": lambda c, o: c.post(
        reverse("discovery-portal:signoff_decide", args=[o.project.code, o["signoff"].pk]), {"decision": "approved"}
    ),
}
EFFECTS |= {
    "page.requirement.status": lambda o: type(o["requirement"]).objects.get(pk=o["requirement"].pk).status
    == "reviewed",
    "page.signoff.request": lambda o: DiscoverySignoff.objects.filter(project=o.project).exists(),
    "portal.signoff.decide": lambda o: Approval.objects.get(pk=o["signoff"].approval_id).decision == "approved",
}
