from .offers import *  # noqa: F403 - the offer and call forms, imported as grants.forms
