"""Account services: security (login and password-reset throttles, second factor) in `security`, an organisation's
members and invitations in `members`, each person's own account in `profile`."""
