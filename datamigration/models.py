"""Master data migration: object definitions, uploads, runs, row errors and staged records.

A project's master data objects (``MasterDataObject`` with its ``FieldDefinition`` rows)
say what a file must contain. An ``Upload`` is one file (stored under a generated name)
with its detected encoding, delimiter and column mapping. A ``MigrationRun`` validates
(or validates and loads) one upload on a Celery worker, chunk by chunk (``RunChunk`` is
the idempotency ledger), writing ``RowError`` rows in bulk; a load publishes the run's
valid rows to ``StagedRecord`` with one upsert on ``(project, object, key)``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel, ScopedQuerySet, VersionedModel

MAX_RUN_WORKERS = 32

__all__ = (
    "FieldDefinition",
    "MasterDataObject",
    "MigrationRun",
    "RowError",
    "RunChunk",
    "StagedRecord",
    "Upload",
)


class MasterDataObject(VersionedModel, ProjectScopedModel):
    """A kind of master data of one project (products, vendors...), keyed by one field."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="masterdata_objects")
    name = models.SlugField(_("name"), max_length=64, help_text=_("Identifier used in files and the API."))
    label = models.CharField(_("label"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    key_field = models.CharField(_("natural key field"), max_length=64, default="code")
    builtin = models.BooleanField(_("built in"), default=False)
    load_order = models.PositiveIntegerField(_("load order"), default=0)
    saved_mapping = models.JSONField(
        _("saved column mapping"), default=dict, blank=True, help_text=_("Normalised header -> field.")
    )
    # The go-live readiness rules (mock loads, latest load clean) check every required object.
    required_for_golive = models.BooleanField(_("required for go-live"), default=True)

    class Meta:
        ordering = ["project_id", "load_order", "name"]
        verbose_name = _("master data object")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="datamigration_masterdataobject_unique_name",
                violation_error_message=_("This project already has an object with this name."),
            )
        ]

    def __str__(self):
        return self.label or self.name

    def get_absolute_url(self):
        return reverse("datamigration:object_detail", args=[self.project.code, self.name])


class FieldDefinition(models.Model):
    """One column of a master data object, with its validation rules."""

    class Type(models.TextChoices):
        STR = "str", _("Text")
        INT = "int", _("Whole number")
        DECIMAL = "decimal", _("Decimal number")
        BOOL = "bool", _("Yes/no")
        DATE = "date", _("Date (YYYY-MM-DD)")
        EMAIL = "email", _("E-mail address")
        CHOICE = "choice", _("One of a list")
        REFERENCE = "reference", _("Reference to another object")

    class Check(models.TextChoices):
        NONE = "", _("None")
        EAN13 = "ean13", _("EAN-13 check digit")

    object = models.ForeignKey(MasterDataObject, on_delete=models.CASCADE, related_name="fields")
    name = models.SlugField(_("name"), max_length=64)
    label = models.CharField(_("label"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.STR)
    required = models.BooleanField(_("required"), default=False)
    unique = models.BooleanField(_("unique (natural key)"), default=False)
    max_length = models.PositiveIntegerField(_("max length"), null=True, blank=True)
    min_value = models.DecimalField(_("min value"), max_digits=30, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("max value"), max_digits=30, decimal_places=6, null=True, blank=True)
    regex = models.CharField(_("pattern (regular expression)"), max_length=255, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    check_digit = models.CharField(_("check digit"), max_length=16, choices=Check.choices, blank=True, default="")
    reference_object = models.ForeignKey(
        MasterDataObject,
        verbose_name=_("references object"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referenced_by",
    )
    reference_field = models.CharField(_("references field"), max_length=64, blank=True, default="code")
    example = models.CharField(_("example"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    scope_path = "object__project"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["object", "order", "pk"]
        verbose_name = _("field definition")
        constraints = [
            models.UniqueConstraint(
                fields=["object", "name"],
                name="datamigration_fielddefinition_unique_name",
                violation_error_message=_("This object already has a field with this name."),
            )
        ]

    def __str__(self):
        return f"{self.object.name}.{self.name}"

    def get_additional_data(self):
        return {"project_id": self.object.project_id, "internal": False}


def upload_path(instance, filename):
    # The stored name is generated by the service; the user's name is only kept as data.
    return f"datamigration/{instance.project_id}/{filename}"


class Upload(VersionedModel, ProjectScopedModel):
    """One uploaded file for one object, stored under a generated name, with its mapping."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="masterdata_uploads")
    object = models.ForeignKey(MasterDataObject, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(_("file"), upload_to=upload_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.CSV)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    detected_encoding = models.CharField(
        _("detected encoding"),
        max_length=32,
        blank=True,
        help_text=_("What the content looks like, when it reads differently in the chosen encoding."),
    )
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True)
    sheet = models.CharField(_("sheet"), max_length=120, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    headers = models.JSONField(_("headers"), default=list)
    row_estimate = models.PositiveBigIntegerField(
        _("estimated data rows"), null=True, blank=True, help_text=_("From the line count; exact after a run.")
    )
    mapping = models.JSONField(
        _("column mapping"), default=dict, blank=True, help_text=_("Column header -> field name.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload")
        indexes = [models.Index(fields=["project", "object"])]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("datamigration:upload_detail", args=[self.project.code, self.pk])

    @property
    def encoding_warning(self) -> str:
        """Why the chosen encoding may garble the file (translated), or ``""``."""
        if not self.detected_encoding or self.detected_encoding == self.encoding:
            return ""
        from datamigration.readers import ENCODING_MISMATCH

        return gettext(ENCODING_MISMATCH).format(declared=self.encoding, detected=self.detected_encoding)


class MigrationRun(ProjectScopedModel):
    """A validation or load of one upload, executed by a Celery worker in chunks."""

    class Mode(models.TextChoices):
        VALIDATE = "validate", _("Validate only")
        LOAD = "load", _("Validate and load")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Takeover(models.TextChoices):
        HOLDER_GONE = "holder_gone", _("its worker process had stopped")
        LEASE_EXPIRED = "lease_expired", _("its worker's lease had expired")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    TERMINAL = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="migration_runs")
    object = models.ForeignKey(MasterDataObject, on_delete=models.CASCADE, related_name="runs")
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.VALIDATE)
    cycle = models.CharField(_("cycle"), max_length=32, default="mock1", help_text=_("mock1, mock2, ..., final"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveBigIntegerField(_("rows in file"), null=True, blank=True)
    processed_rows = models.PositiveBigIntegerField(_("processed rows"), default=0)
    valid_rows = models.PositiveBigIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveBigIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveBigIntegerField(_("errors"), default=0)
    inserted_rows = models.PositiveBigIntegerField(_("inserted"), default=0)
    updated_rows = models.PositiveBigIntegerField(_("updated"), default=0)
    unchanged_rows = models.PositiveBigIntegerField(_("unchanged"), default=0)
    loaded_checksum = models.CharField(_("checksum of loaded data"), max_length=64, blank=True)
    rows_per_second = models.FloatField(_("rows/s"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("started by")
    )
    last_chunk = models.IntegerField(_("last committed chunk"), default=-1)
    workers = models.PositiveSmallIntegerField(
        _("workers"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RUN_WORKERS)],
        help_text=_("How many workers may process the chunks of this run at once."),
    )
    chunk_total = models.PositiveIntegerField(
        _("chunks"), null=True, blank=True, help_text=_("Known once the file has been split (runs on several workers).")
    )
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=0)
    # The process holding the lease (``engine.holder``): a worker on the same machine takes
    # the run over at once when that process is gone, without waiting for the lease.
    holder_host = models.CharField(_("worker host"), max_length=255, blank=True)
    holder_pid = models.PositiveIntegerField(_("worker process id"), null=True, blank=True)
    holder_started = models.CharField(_("worker process start"), max_length=64, blank=True)
    takeovers = models.PositiveIntegerField(
        _("takeovers"), default=0, help_text=_("How often another worker took the run over from a stopped one.")
    )
    last_takeover = models.CharField(
        _("last takeover"), max_length=16, choices=Takeover.choices, blank=True, help_text=_("Why it was taken over.")
    )
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("migration run")
        indexes = [models.Index(fields=["project", "object", "status"])]

    def __str__(self):
        return f"#{self.pk} {self.object.name} {self.get_mode_display()} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("datamigration:run_detail", args=[self.project.code, self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(int(self.processed_rows * 100 / self.total_rows), 100)

    @property
    def seconds_left(self) -> int | None:
        if not self.is_active or not self.total_rows or not self.rows_per_second:
            return None
        return int(max(self.total_rows - self.processed_rows, 0) / self.rows_per_second)

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def staging_table(self) -> str:
        return f"datamigration_stage_{int(self.pk)}"


class RunChunk(models.Model):
    """Ledger of a run's chunks, unique on (run, chunk_no): a chunk commits exactly once.

    A run on one worker adds a row as each chunk commits (a replayed chunk is refused by the
    unique constraint). A run split across workers adds a row per chunk written to its
    spool; a worker claims it (``worker``, ``claimed_at``) and commits it only while its
    claim holds; a claim older than the lease may be taken over.
    """

    run = models.ForeignKey(MigrationRun, on_delete=models.CASCADE, related_name="chunks")
    chunk_no = models.PositiveIntegerField()
    first_row = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField()
    valid = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=255, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "run__project"

    class Meta:
        ordering = ["run", "chunk_no"]
        constraints = [models.UniqueConstraint(fields=["run", "chunk_no"], name="datamigration_runchunk_once")]

    def __str__(self):
        return f"run {self.run_id} chunk {self.chunk_no}"


class RowError(models.Model):
    """One problem with one field of one data row (1-based, records not lines)."""

    class Kind(models.TextChoices):
        REQUIRED = "required", _("Required")
        TYPE = "type", _("Wrong type")
        MIN_VALUE = "min_value", _("Below minimum")
        MAX_VALUE = "max_value", _("Above maximum")
        MAX_LENGTH = "max_length", _("Too long")
        FORMAT = "format", _("Wrong format")
        CHOICE = "choice", _("Not an allowed value")
        REFERENCE = "reference", _("Unknown reference")
        CHECKSUM = "checksum", _("Wrong check digit")
        DATE = "date", _("Invalid date")
        DUPLICATE = "duplicate", _("Duplicate key")

    run = models.ForeignKey(MigrationRun, on_delete=models.CASCADE, related_name="row_errors", db_index=False)
    row = models.PositiveBigIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=255)
    value = models.TextField(_("value"), blank=True)

    scope_path = "run__project"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "row", "field"]
        verbose_name = _("row error")
        indexes = [models.Index(fields=["run", "row"])]

    def __str__(self):
        return f"row {self.row} {self.field}: {self.kind}"


class StagedRecord(ProjectScopedModel):
    """A loaded row of an object, keyed by its natural key; ``last_run`` last wrote it."""

    # Indexed only by the unique (project, object, key): fewer indexes, faster upserts. No
    # database FK constraints either: a load writes one (project, object) pair for all its
    # rows, and PostgreSQL would check it again for every row at commit (seconds per million).
    # Deletes still cascade (Django's collector).
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="staged_records", db_index=False, db_constraint=False
    )
    object = models.ForeignKey(
        MasterDataObject, on_delete=models.CASCADE, related_name="records", db_index=False, db_constraint=False
    )
    key = models.CharField(_("key"), max_length=255)
    data = models.JSONField(_("data"))
    checksum = models.CharField(_("checksum"), max_length=32)
    last_run = models.ForeignKey(
        MigrationRun,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last run"),
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["object", "key"]
        verbose_name = _("staged record")
        constraints = [
            models.UniqueConstraint(fields=["project", "object", "key"], name="datamigration_stagedrecord_unique_key")
        ]

    def __str__(self):
        return self.key
