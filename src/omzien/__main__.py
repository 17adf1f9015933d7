"""The ``omzien`` console script: Django's management commands with Omzien's settings.

``omzien demo --data-dir DIR`` has to choose the database before Django reads its
settings, so that one option is applied to the environment first.
"""

import os
import sys


def _apply_data_dir_option(argv: list[str]) -> None:
    for index, arg in enumerate(argv):
        if arg == "--data-dir" and index + 1 < len(argv):
            os.environ["OMZIEN_DATA_DIR"] = argv[index + 1]
        elif arg.startswith("--data-dir="):
            os.environ["OMZIEN_DATA_DIR"] = arg.split("=", 1)[1]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "omzien"
    _apply_data_dir_option(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
