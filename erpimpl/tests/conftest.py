"""Fixtures of the isolation sweeps: projects A and B full of content, a client per persona."""

import logging
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from erpimpl.tests import sweep_data as data
from projects.models import Project
from projects.services import token_create
from projects.tests.factories import ProjectFactory


@dataclass
class World:
    a: Project
    b: Project
    pages: dict  # persona -> client signed in with a session
    api: dict  # persona -> client sending the persona's API token
    pm: object  # A's project manager


@pytest.fixture
def quiet_request_log():
    """Thousands of 404s and 403s are the point of a sweep: the log keeps only errors meanwhile."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def world(project, personas, quiet_request_log):
    """A (``project``, the personas' project) and B, each with content of every app."""
    b = ProjectFactory(name=f"{data.SECRET} project", client_name=f"{data.SECRET} client")
    data.fill(b, data.members_of(b, "b"), visible=data.SECRET, internal=f"{data.SECRET}-INTERNAL")
    data.fill(project, {role: personas[role] for role in data.ROLES}, visible="A-VISIBLE", internal=data.INTERNAL)
    pages, api = {}, {}
    for persona in data.PERSONAS:
        pages[persona] = Client()
        pages[persona].force_login(personas[persona])
        api[persona] = APIClient()
        api[persona].credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=personas[persona])[1]}")
    return World(project, b, pages, api, personas["pm"])
