"""The design app's downloads, shared by the pages and the API: the BPMN diagram of a design
and the evidence file of a technical requirement, both through ``projects.files``
(RFC 6266 file name, ``nosniff``, ``Content-Security-Policy: sandbox``).

The caller has already fetched the object through a scoped selector or viewset.
"""

import os

from django.http import Http404

from phases.design.models import ProcessDesign, TechnicalRequirement
from projects.files import KNOWN_TYPES, attachment_response

NO_DIAGRAM = "This design has no BPMN diagram."
NO_EVIDENCE_FILE = "This technical requirement has no evidence file."


def bpmn_download(design: ProcessDesign):
    if not design.bpmn_xml:
        raise Http404(NO_DIAGRAM)
    return attachment_response(
        design.bpmn_xml.encode("utf-8"),
        filename=design.bpmn_filename or f"{design.code}.bpmn",
        content_type="application/xml; charset=utf-8",
    )


def evidence_download(requirement: TechnicalRequirement):
    if not requirement.evidence_file:
        raise Http404(NO_EVIDENCE_FILE)
    filename = requirement.evidence_filename or os.path.basename(requirement.evidence_file.name)
    content_type, _magic = KNOWN_TYPES.get(os.path.splitext(filename)[1].lower(), ("application/octet-stream", None))
    return attachment_response(requirement.evidence_file, filename=filename, content_type=content_type)
