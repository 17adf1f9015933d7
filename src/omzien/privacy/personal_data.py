"""Which model fields hold personal data, by purpose: the register docs/privacy.md lists.

Every field of every Omzien model is in `PERSONAL` (under the purpose it serves) or in
`NOT_PERSONAL`; ``tests/privacy/test_register.py`` walks the app registry and fails for a
field that is in neither, for one in both, and for a personal field that docs/privacy.md
does not name as ``app.Model.field``. So a new field needs a decision here and, when it is
personal, a line in the register.

Staff references (``recorded_by`` and the like) are personal data of the staff and
volunteers, under the purpose ``staff``. The primary key is left out everywhere.

The models of the installed packages in `THIRD_PARTY_APPS` are walked too: they hold
staff data Omzien chose to store (passkeys).
"""

# Apps of installed packages whose models are in the register like Omzien's own.
THIRD_PARTY_APPS = ("django_otp_webauthn",)

# The purposes of the processing register (docs/privacy.md has a section for each).
PURPOSES = {
    "names": "names and attendance",
    "consent": "consents",
    "followup": "follow-up (signals)",
    "questionnaires": "questionnaires (special category)",
    "help": "help between residents",
    "proposals": "proposed activities",
    "visiting": "visits between places",
    "merging": "merging duplicate records",
    "audit": "audit log",
    "staff": "staff and volunteer accounts",
}

# label -> purpose -> the fields (space-separated)
PERSONAL: dict[str, dict[str, str]] = {
    "accounts.Membership": {"staff": "user"},
    "people.Person": {
        "names": "ref first_name last_name village registered_place search_name "
        "registration_token restricted_at created_at"
    },
    "people.FollowUpContact": {
        "followup": "person phone how_to_reach updated_at",
        "staff": "updated_by",
    },
    "people.Consent": {
        "consent": "person purpose given recorded_at source",
        "staff": "recorded_by",
    },
    "attendance.Visit": {"names": "session person recorded_at", "staff": "recorded_by"},
    "attendance.SessionHost": {"staff": "session user added_by added_at"},
    "audit.AuditEvent": {"audit": "at user action subject person detail"},
    "reports.PlaceStory": {"staff": "written_by"},
    "signals.Signal": {
        "followup": "person place kind status raised_on last_seen reason probability "
        "raw_probability missed occasional rhythm activity week_parity follow_up_since "
        "snoozed_until escalated_at closed_at outcome created_at updated_at",
        "staff": "assigned_to closed_by created_by",
    },
    "signals.ContactLog": {"followup": "signal at method outcome note", "staff": "by"},
    "signals.AnnouncedAbsence": {
        "followup": "person first_day last_day note recorded_at",
        "staff": "recorded_by",
    },
    "helping.HelpRequest": {
        "help": "ref first_name categories description days parts phone email consent_at "
        "created_at person village place urgency wanted_on for_someone_else asked_by_name "
        "source signal status on_board escalated_at closed_at contact_forgotten_at",
        "staff": "created_by",
    },
    "helping.HelpOffer": {
        "help": "ref first_name categories description days parts phone email consent_at "
        "created_at person village place max_km max_per_month has_car for_request source "
        "active villages",
        "staff": "created_by",
    },
    "helping.HelpMatch": {
        "help": "request offer status score distance_km reasons created_at decided_at",
        "staff": "proposed_by decided_by",
    },
    "helping.HelpEvent": {"help": "request from_status to_status at note", "staff": "by"},
    "helping.HelpFeedback": {"help": "request side answer note at", "staff": "recorded_by"},
    "wellbeing.Pseudonym": {"questionnaires": "token created_at"},
    "wellbeing.PseudonymLink": {"questionnaires": "person pseudonym created_at"},
    "wellbeing.Response": {
        "questionnaires": "pseudonym instrument wave taken_on place mode answers total "
        "emotional social category"
    },
    "wellbeing.Draft": {
        "questionnaires": "token pseudonym place wave mode answers asks_gp_visit created_at "
        "link_opened_at"
    },
    "wellbeing.AnswersViewing": {"questionnaires": "token pseudonym created_at opened_at"},
    "privacy.PersonMerge": {
        "merging": "kept duplicate_id snapshot merged_at undone_at",
        "staff": "merged_by",
    },
    "proposals.Proposal": {
        "proposals": "first_name phone email consent_at contact_forgotten_at",
        "staff": "created_by decided_by",
    },
    "proposals.Interest": {"proposals": "proposal first_name phone email consent_at created_at"},
    "visiting.Invitation": {"staff": "created_by cancelled_by reported_by"},
    "visiting.InvitedPlace": {"visiting": "names", "staff": "answered_by tried_recorded_by"},
    "villageplatform.Evening": {"staff": "organised_by"},
    "villageplatform.Lesson": {"staff": "created_by"},
    "villageplatform.Action": {"staff": "created_by"},
    "villageplatform.FollowUp": {"staff": "recorded_by"},
    # A user's API tokens: who has one, its name, and when it was last used.
    "api.AccessToken": {"staff": "owner name last_used_at"},
    # A staff member's passkeys and security keys (django-otp-webauthn): whose, their
    # name, the credential's id (and its hash) and public key, the make of the key
    # (AAGUID), and when it was added and last used. The user handle is the random id
    # the keys know the account by (its primary key is the user).
    "django_otp_webauthn.WebAuthnCredential": {
        "staff": "user name credential_id credential_id_sha256 public_key aaguid sign_count "
        "created_at last_used_at",
    },
    "django_otp_webauthn.WebAuthnAttestation": {"staff": "credential data"},
    "django_otp_webauthn.WebAuthnUserHandle": {"staff": "handle_hex"},
}

# label -> the fields that hold no personal data (space-separated)
NOT_PERSONAL: dict[str, str] = {
    "signals.Calibration": "rhythm fitted_on labels dropouts curve created_at",
    "api.AccessToken": "prefix secret_hash scope created_at expires_at revoked_at",
    # What kind of credential, how it can reach the browser, whether it is backed up.
    "django_otp_webauthn.WebAuthnCredential": "confirmed credential_type transports "
    "backup_eligible backup_state discoverable",
    # The attestation's format and the browser's signed data of the ceremony (the
    # challenge, the origin, the kind of ceremony).
    "django_otp_webauthn.WebAuthnAttestation": "fmt client_data_json",
    "accounts.Membership": "role place",
    "places.Region": "name slug introduction has_synthetic_data proposal_threshold",
    "places.Village": "latitude longitude region name slug",
    # A place's own address and contact details, not a resident's.
    "places.Place": "latitude longitude village name slug description street postcode town "
    "opening_hours wheelchair_accessible hearing_loop accessibility_notes phone email website "
    "is_active",
    "places.PlaceClosure": "place first_day last_day reason",
    "agenda.Activity": "uid place title slug description category rrule first_date last_date "
    "start_time duration exception_dates signup_required capacity cost accessibility_notes "
    "is_active",
    "agenda.Session": "activity date starts_at ends_at status cancel_reason note is_rescheduled "
    "is_extra",
    "people.Person": "is_synthetic",
    # A random token of one tap at the door, so a retry counts once.
    "attendance.Visit": "client_token",
    # Aggregates with small cells hidden: nobody's data.
    "reports.FigureSnapshot": "year as_of computed_at version min_cell cells extra hidden "
    "village_pairs seconds",
    "reports.PlaceStory": "place period went_well learned updated_at",
    "proposals.Proposal": "title description category village when days parts bring source "
    "status reject_reason created_at decided_at threshold_mailed_at activity closed_at places",
    "visiting.Invitation": "uid host kind activity title date start_time end_time message "
    "created_at cancelled_at report reported_at places",
    "visiting.InvitedPlace": "invitation place count answered_at want_to_try tried_recorded_at",
    "villageplatform.Evening": "region title date start_time end_time host_place location "
    "agenda created_at changed_at",
    "villageplatform.EveningAttendance": "evening place count",
    "villageplatform.Tag": "slug name",
    "villageplatform.Lesson": "title practice place evening created_at changed_at tags",
    # An organisation's name ("gemeente"), not a person's.
    "villageplatform.Action": "evening description owner_place owner_name due_date status "
    "created_at",
    "villageplatform.FollowUp": "action evening note status recorded_at",
}


def personal_fields() -> dict[str, dict[str, list[str]]]:
    """label -> purpose -> field names."""
    return {
        label: {purpose: fields.split() for purpose, fields in by_purpose.items()}
        for label, by_purpose in PERSONAL.items()
    }


def not_personal_fields() -> dict[str, list[str]]:
    return {label: fields.split() for label, fields in NOT_PERSONAL.items()}
