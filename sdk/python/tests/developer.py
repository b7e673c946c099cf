"""For the checks against a running gateway: a new developer, signed up and logged in."""

import uuid

import opentrade
from opentrade_sdk import OpenTrade


def new_developer(base_url, name):
    """Signs up a developer with a fresh email and logs in; returns (an OpenTrade without credential, the
    session token)."""
    suffix = uuid.uuid4().hex[:12]
    email, password = "%s-%s@example.com" % (name.lower(), suffix), "%s check %s" % (name.lower(), suffix)
    anonymous = OpenTrade(base_url)
    anonymous.developers.create_developer(opentrade.DeveloperCreate(email=email, password=password, name=name))
    return anonymous, anonymous.developers.create_session(opentrade.SessionCreate(email=email, password=password)).token
