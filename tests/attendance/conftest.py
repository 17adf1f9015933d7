"""The door's cast: today's sessions at De Benring and Trefpunt, and their regulars."""

from datetime import time

import pytest

from tests.attendance import door


@pytest.fixture
def benring_today(benring):
    return door.today_session(benring, title="Koffieochtend De Benring")


@pytest.fixture
def trefpunt_today(trefpunt):
    return door.today_session(trefpunt, title="Handwerken Trefpunt", start=time(14, 0))


@pytest.fixture
def mariette(benring):
    """Mariëtte de Vries comes to De Benring and agreed to her name being shown."""
    return door.person("Mariëtte", "de Vries", place=benring, followup=True)


@pytest.fixture
def marie_trefpunt(trefpunt):
    """Marie goes to Trefpunt only: a host of De Benring must not find her."""
    return door.person("Marie", "Trefpunt", place=trefpunt)


@pytest.fixture
def maria_without_consent(benring):
    """Maria comes to De Benring but did not agree to her name being shown."""
    return door.person("Maria", "Zondernaam", place=benring, names=False)


@pytest.fixture
def henk(client, host_benring):
    client.force_login(host_benring)
    return client
