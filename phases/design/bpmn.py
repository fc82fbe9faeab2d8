"""Validation of uploaded BPMN 2.0 diagrams.

A diagram is accepted when it is a ``.bpmn`` (or ``.xml``) file of at most
``MAX_BPMN_BYTES``, parses as XML with defusedxml (no DTD, no entity declarations, no
external references: XXE and "billion laughs" payloads are refused before any expansion),
has a root ``definitions`` element in the BPMN 2.0 model namespace, at least one
``process`` or ``collaboration``, and diagram interchange (``bpmndi:BPMNDiagram``), without
which the browser viewer has nothing to draw. Anything else is refused with a message
the uploader can act on; the service stores the original text unchanged.
"""

import re
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from erpimpl.errors import DomainError, PayloadTooLarge

BPMN_MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMN_DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
MAX_BPMN_BYTES = 2 * 1024 * 1024
ALLOWED_EXTENSIONS = (".bpmn", ".xml")

BPMN_EXTENSION = "Upload a .bpmn file (BPMN 2.0 XML); “{name}” is not one."
BPMN_EMPTY = "The BPMN file is empty."
BPMN_TOO_LARGE = "The BPMN file is larger than {limit} MB."
BPMN_NOT_XML = "The file is not well-formed XML ({detail}). Export the diagram as BPMN 2.0 XML and upload it again."
BPMN_UNSAFE = (
    "The file declares a DTD or XML entities, which BPMN diagrams never need; it was refused for safety "
    "(entity expansion / external entity attack)."
)
BPMN_NOT_BPMN = (
    "The file is XML but not a BPMN 2.0 model: its root element must be <definitions> in the namespace "
    + BPMN_MODEL_NS
    + " (found <{found}>)."
)
BPMN_NO_PROCESS = "The BPMN model has no <process> or <collaboration>: there is no process to show."
BPMN_NO_DIAGRAM = (
    "The BPMN model has no diagram layout (bpmndi:BPMNDiagram), so it cannot be drawn. "
    "Export it from your modelling tool with the diagram information."
)
BPMN_ENCODING = "The BPMN file is not valid text in its declared encoding ({encoding})."

FIELD = "bpmn_file"
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


@dataclass(frozen=True)
class BpmnDiagram:
    xml: str
    filename: str
    processes: int
    shapes: int


def _text_of(data: bytes) -> str:
    match = _DECLARED_ENCODING.match(data[:200])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise DomainError(BPMN_ENCODING.format(encoding=encoding.replace("-sig", "")), field=FIELD) from None


def validate_bpmn(data: bytes, *, filename: str = "diagram.bpmn") -> BpmnDiagram:
    """Check that ``data`` is a BPMN 2.0 diagram; return its text or raise ``DomainError``."""
    name = (filename or "diagram.bpmn").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise DomainError(BPMN_EXTENSION.format(name=name), field=FIELD)
    if len(data) > MAX_BPMN_BYTES:
        raise PayloadTooLarge(BPMN_TOO_LARGE.format(limit=MAX_BPMN_BYTES // (1024 * 1024)), field=FIELD)
    if not data or not data.strip():
        raise DomainError(BPMN_EMPTY, field=FIELD)
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise DomainError(BPMN_UNSAFE, field=FIELD) from None
    except ParseError as exc:
        raise DomainError(BPMN_NOT_XML.format(detail=exc), field=FIELD) from None
    if root.tag != f"{{{BPMN_MODEL_NS}}}definitions":
        found = root.tag.replace("{", "").replace("}", ":") if root.tag.startswith("{") else root.tag
        raise DomainError(BPMN_NOT_BPMN.format(found=found), field=FIELD)
    processes = root.findall(f"{{{BPMN_MODEL_NS}}}process")
    if not processes and root.find(f"{{{BPMN_MODEL_NS}}}collaboration") is None:
        raise DomainError(BPMN_NO_PROCESS, field=FIELD)
    diagram = root.find(f"{{{BPMN_DI_NS}}}BPMNDiagram")
    if diagram is None:
        raise DomainError(BPMN_NO_DIAGRAM, field=FIELD)
    shapes = len(diagram.findall(f".//{{{BPMN_DI_NS}}}BPMNShape"))
    return BpmnDiagram(xml=_text_of(data), filename=name, processes=len(processes), shapes=shapes)


def read_upload(upload) -> tuple[bytes, str]:
    """The bytes and name of an uploaded file (Django ``UploadedFile`` or any file object).

    Reads at most one byte more than the limit, so an oversized upload is refused
    without being held in memory whole.
    """
    name = getattr(upload, "name", "") or "diagram.bpmn"
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BPMN_BYTES:
        raise PayloadTooLarge(BPMN_TOO_LARGE.format(limit=MAX_BPMN_BYTES // (1024 * 1024)), field=FIELD)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BPMN_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, name
