import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_demo_admin_is_created_once_and_can_log_in(capsys):
    call_command("setup_demo")
    first = capsys.readouterr().out
    call_command("setup_demo")
    second = capsys.readouterr().out

    assert first == second  # the same credentials, printed again
    password = first.split("password ")[1].strip().strip("'")
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser
    assert get_user_model().objects.count() == 1
