"""The password policy: Django's validators (twelve characters, not like the user's name,
not common, not only digits) and the offline list of breached passwords."""

import gzip
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from omzien.accounts import passwords
from omzien.accounts.passwords import SHIPPED_LIST, BreachedPasswordValidator, forms_of


def refusals(password, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_a_long_unusual_password_is_accepted(db):
    assert refusals("gieter paraplu veldkers") == set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("kort-wachtw", "password_too_short"),  # 11 characters
        ("314159265358979", "password_entirely_numeric"),
        ("passwordpassword", "password_breached"),  # a common word, repeated
        ("Welkom2024!!!!", "password_breached"),  # a common word with padding
        ("iloveyou123456", "password_breached"),
        ("1qaz2wsx3edc", "password_too_common"),  # in Django's own list
    ],
)
def test_weak_passwords_are_refused(db, password, code):
    assert code in refusals(password)


def test_a_password_like_the_users_name_is_refused(db):
    user = get_user_model()(username="hennie.wolters", first_name="Hennie", last_name="Wolters")
    assert "password_too_similar" in refusals("hennie.wolters1", user)


def test_the_message_is_dutch(db):
    with pytest.raises(ValidationError) as refused:
        BreachedPasswordValidator().validate("passwordpassword")
    assert "datalekken" in refused.value.messages[0]


def test_the_shipped_list_says_where_it_comes_from():
    with gzip.open(SHIPPED_LIST, "rt", encoding="utf-8") as lines:
        header = [line for line in lines if line.startswith("#")]
    text = "".join(header)
    assert "John the Ripper" in text and "public domain" in text
    passwords_, _hashes = passwords._read_list(SHIPPED_LIST)
    assert len(passwords_) > 3000
    assert all(p == p.lower() for p in passwords_)


def test_the_forms_looked_up():
    assert forms_of("Welkom2024!") == {"welkom2024!", "welkom"}
    assert "qwerty" in forms_of("qwertyqwerty")


def test_a_list_of_sha1_hashes_works_too(tmp_path, monkeypatch, db):
    listed = tmp_path / "hashes.txt.gz"
    secret = "mijn geheime zin die uitlekte"
    with gzip.open(listed, "wt") as out:
        out.write("# a test list\n" + hashlib.sha1(secret.encode()).hexdigest().upper() + "\n")  # noqa: S324
    monkeypatch.setenv("OMZIEN_BREACHED_PASSWORDS_FILE", str(listed))
    assert "password_breached" in refusals(secret)
    assert refusals("een heel andere lange zin") == set()
