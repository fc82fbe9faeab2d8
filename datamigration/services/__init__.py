"""Every write of the datamigration app, by sub-domain. Keyword-only functions taking the acting user ``by``.

``objects`` (master data objects, fields, staged records), ``uploads`` (files and their
column mapping) and ``runs`` (validation and load runs on workers: the only place that
enqueues their tasks and picks the engine's driver). ``services.<name>`` is any of them.

Public for other apps: none (golive reads runs through ``selectors``).

Capabilities: reading needs VIEW; uploading files, editing mappings and starting or
cancelling validation runs need UPLOAD_DATA (key users, consultants, PMs); starting or
cancelling loads needs RUN_JOBS (consultants, PMs); defining objects and fields needs EDIT.
"""

from datamigration.services.objects import *  # noqa: F403
from datamigration.services.runs import *  # noqa: F403
from datamigration.services.uploads import *  # noqa: F403
