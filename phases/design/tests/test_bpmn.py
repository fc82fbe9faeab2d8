"""BPMN upload validation: valid diagrams pass, anything else is refused with a clear message."""

import pytest

from erpimpl.errors import DomainError
from phases.design import bpmn
from phases.design.tests.factories import O2C_BPMN, P2P_BPMN

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">&lol3;</process></definitions>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&xxe;"/></definitions>"""

NOT_BPMN = b"""<?xml version="1.0"?><note><to>Tove</to><body>Not a diagram</body></note>"""
OTHER_NAMESPACE = b"""<definitions xmlns="http://example.com/not-bpmn"><process id="p"/></definitions>"""
NO_PROCESS = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"/>"""
NO_DIAGRAM = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
<process id="p"><startEvent id="s"/></process></definitions>"""


def refused(data: bytes, filename: str = "diagram.bpmn") -> str:
    with pytest.raises(DomainError) as excinfo:
        bpmn.validate_bpmn(data, filename=filename)
    assert excinfo.value.field == "bpmn_file"
    return excinfo.value.message


@pytest.mark.parametrize(("name", "data"), [("procure-to-pay", P2P_BPMN), ("order-to-cash", O2C_BPMN)])
def test_a_bpmn_2_diagram_with_layout_is_accepted_unchanged(name, data):
    diagram = bpmn.validate_bpmn(data, filename=f"{name}.bpmn")
    assert diagram.xml == data.decode("utf-8")
    assert diagram.processes == 1 and diagram.shapes >= 7
    assert diagram.filename == f"{name}.bpmn"


def test_a_utf8_bom_is_accepted_and_dropped():
    diagram = bpmn.validate_bpmn(b"\xef\xbb\xbf" + P2P_BPMN, filename="p2p.bpmn")
    assert diagram.xml.startswith("<?xml")


def test_a_file_that_is_not_xml_is_refused():
    message = refused(b"%PDF-1.7 this is a PDF, not a diagram")
    assert message.startswith("The file is not well-formed XML (")


def test_truncated_xml_is_refused_as_not_well_formed():
    assert refused(P2P_BPMN[:500]).startswith("The file is not well-formed XML (")


def test_xml_that_is_not_bpmn_is_refused_naming_the_root_found():
    assert refused(NOT_BPMN) == bpmn.BPMN_NOT_BPMN.format(found="note")
    assert refused(OTHER_NAMESPACE) == bpmn.BPMN_NOT_BPMN.format(found="http://example.com/not-bpmn:definitions")


def test_a_model_without_process_or_diagram_is_refused():
    assert refused(NO_PROCESS) == bpmn.BPMN_NO_PROCESS
    assert refused(NO_DIAGRAM) == bpmn.BPMN_NO_DIAGRAM


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_expansion_and_external_entities_are_refused_before_parsing(payload):
    assert refused(payload) == bpmn.BPMN_UNSAFE


def test_other_file_types_and_empty_or_oversized_files_are_refused():
    assert refused(P2P_BPMN, filename="diagram.pdf") == bpmn.BPMN_EXTENSION.format(name="diagram.pdf")
    assert refused(b"   ") == bpmn.BPMN_EMPTY
    huge = b" " * (bpmn.MAX_BPMN_BYTES + 1)
    assert refused(huge) == bpmn.BPMN_TOO_LARGE.format(limit=2)
