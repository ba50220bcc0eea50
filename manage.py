#!/usr/bin/env python
import os
import sys


def main():
    # A developer's commands default to the development settings; servers default to production
    # (config/__init__.py). Production commands set DJANGO_SETTINGS_MODULE (README, En production).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
