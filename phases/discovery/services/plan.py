"""Writes of the plan side: the RAID log, rollout waves with their sites, plan documents."""

from django.db import transaction

from erpimpl.errors import DomainError
from phases.discovery.models import PlanDocument, RaidItem, RolloutSite, RolloutWave
from phases.discovery.services._base import C, check_member, delete_row, save_new
from projects.audit import audited
from projects.files import DEFAULT_MAX_BYTES, DOCUMENT_TYPES, validate_upload
from projects.models import Project
from projects.roles import require
from projects.updating import apply_update, lock

SITE_INCOMPLETE = "Each site needs a company and a site name."

# --- RAID log -------------------------------------------------------------------------

RAID_FIELDS = {
    "kind",
    "title",
    "description",
    "probability",
    "impact",
    "response",
    "owner",
    "due",
    "status",
    "internal",
}


@audited
def raid_item_create(*, project: Project, by, **fields) -> RaidItem:
    require(by, project, C.EDIT)
    check_member(project, fields.get("owner"))
    with transaction.atomic():
        return save_new(RaidItem(project=project, **fields))


@audited
def raid_item_update(*, item: RaidItem, by, version: int, **changes) -> RaidItem:
    require(by, item.project, C.EDIT)
    if "owner" in changes:
        check_member(item.project, changes["owner"], current=item.owner)
    return apply_update(item, version=version, changes=changes, allowed=RAID_FIELDS)


@audited
def raid_item_delete(*, item: RaidItem, by) -> None:
    delete_row(item, by=by)


# --- rollout waves --------------------------------------------------------------------

WAVE_FIELDS = {"name", "sequence", "start_date", "golive_date", "description"}


def _replace_sites(wave: RolloutWave, sites) -> None:
    if sites is None:
        return
    wave.sites.all().delete()
    for site in sites:
        if not (site.get("company") or "").strip() or not (site.get("site") or "").strip():
            raise DomainError(SITE_INCOMPLETE, field="sites")
        save_new(RolloutSite(wave=wave, **site))


@audited
def rollout_wave_create(*, project: Project, by, sites=(), **fields) -> RolloutWave:
    require(by, project, C.EDIT)
    with transaction.atomic():
        wave = save_new(RolloutWave(project=project, **fields))
        _replace_sites(wave, list(sites))
    return wave


@audited
def rollout_wave_update(*, wave: RolloutWave, by, version: int, sites=None, **changes) -> RolloutWave:
    require(by, wave.project, C.EDIT)
    with transaction.atomic():
        current = apply_update(wave, version=version, changes=changes, allowed=WAVE_FIELDS)
        _replace_sites(current, sites)
    return current


@audited
def rollout_wave_delete(*, wave: RolloutWave, by) -> None:
    delete_row(wave, by=by)


# --- plan documents -------------------------------------------------------------------

#: Read at each upload (tests lower it).
MAX_DOCUMENT_BYTES = DEFAULT_MAX_BYTES
DOCUMENT_FIELDS = {"kind", "title", "description", "internal"}


@audited
def plan_document_create(
    *, project: Project, by, file, kind: str, title: str, description: str = "", internal: bool = False
) -> PlanDocument:
    require(by, project, C.EDIT)
    checked = validate_upload(file, types=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
    with transaction.atomic():
        document = PlanDocument(
            project=project,
            kind=kind,
            title=title,
            description=description,
            internal=internal,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=by,
        )
        document.file.save(checked.name, file, save=False)
        try:
            document.full_clean()
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
    return document


@audited
def plan_document_update(*, document: PlanDocument, by, version: int, **changes) -> PlanDocument:
    require(by, document.project, C.EDIT)
    return apply_update(document, version=version, changes=changes, allowed=DOCUMENT_FIELDS)


@audited
def plan_document_delete(*, document: PlanDocument, by) -> None:
    require(by, document.project, C.EDIT)
    storage, path = document.file.storage, document.file.name
    with transaction.atomic():
        lock(document).delete()
        transaction.on_commit(lambda: storage.delete(path))
