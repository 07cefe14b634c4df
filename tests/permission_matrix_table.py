"""The permission matrix's one table: who may open which URL (tests/test_permission_matrix.py).

Each rule is (match, roles that get "ok", why). `match` is a URL pattern's name, or a regex
(starting with "/") matched at the start of the requested URL; the first rule that matches
decides. Every other role must be "denied". SKIP rules are not requested at all.

"ok": 2xx, or a redirect that is not to a login page nor Wagtail's "permission denied".
"denied": 400 (a filter outside the user's scope), 401, 403, 404, 405 (GET on a POST-only
view), or a redirect to a login page or with Wagtail's permission-denied message.
"""

ROLES = (
    "anonymous",
    "staff",
    "staff_other",
    "manager",
    "manager_other",
    "editor",
    "coordinator",
    "central",
    "admin",
)
ANON, STAFF, STAFF_OTHER, MANAGER, MANAGER_OTHER, EDITOR, COORDINATOR, CENTRAL, ADMIN = ROLES

# The demo's users (`seed_demo`). staff works in the manager's subtree (HL-SO); staff_other in
# a preschool (HL-FSK-HAG). manager_other, made by the test, answers for the preschools and
# has no staff record. The editor and the coordinators have staff records too. coordinator is
# the district's (scope HL); central is the city's, over HL and a second district (SK).
USERS = (
    (STAFF, "socialsekreterare"),
    (STAFF_OTHER, "medarbetare"),
    (MANAGER, "chef"),
    (EDITOR, "redaktor"),
    (COORDINATOR, "samordnare"),
    (CENTRAL, "central"),
    (ADMIN, "admin"),
)

DENIED_STATUSES = {400, 401, 403, 404, 405}
LOGIN_PATHS = {"/accounts/login/", "/admin/login/", "/_util/login/"}

# Patterns with no name: a sample URL each ({path} is a public upload).
UNNAMED_SAMPLES = {
    "admin/test404/": "/admin/test404/",
    "admin/^.*/$": "/admin/no-such-page/",
    "media/<path:path>": "/media/{path}",
}

SKIP = None
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
NOBODY = frozenset()
ADMIN_ONLY = frozenset({ADMIN})
PERSONAL = frozenset({COORDINATOR, CENTRAL, ADMIN})
WHOLE_CITY = frozenset({CENTRAL, ADMIN})
CONTENT = frozenset({EDITOR, ADMIN})
IN_ADMIN = frozenset({EDITOR, COORDINATOR, CENTRAL, ADMIN})  # wagtailadmin.access_admin
REPORTERS = frozenset({MANAGER, MANAGER_OTHER, COORDINATOR, CENTRAL, ADMIN})
WITH_STAFF_RECORD = SIGNED_IN - {MANAGER_OTHER, ADMIN}

POST_ONLY = "POST only: a GET answers 405"
PERSONAL_WHY = "personal data: coordinators and admins, never editors, staff or managers"
NO_DELETE = "coordinators have no delete permission on this model"

# Snippet models holding personal data, and their admin URLs (listing, export, edit, history,
# usage, inspect, choosers, bulk actions).
PERSONAL_MODELS = "(courses/(unit|targetgroup|staffmember|managerresponsibility|completion|session)|certificates/certificate)"  # noqa: E501
SNIPPET = r"/admin/(snippets/(choose/)?|bulk/)"

RULES = [
    # ------------------------------------------------------------------ Wagtail quirks
    ("wagtailadmin_logout", SKIP, "a GET logs the user out"),
    ("wagtailadmin_error_test", SKIP, "/admin/failwhale/ raises a 500 on purpose"),
    # ------------------------------------------------------------------ the public site
    ("healthz", EVERYONE, "load balancer probe"),
    ("readyz", EVERYONE, "readiness probe: database and cache"),
    ("favicon", EVERYONE, "the site's icon: a redirect to the static file"),
    ("captions", EVERYONE, "captions of public lectures"),
    ("search", EVERYONE, "searches public pages"),
    ("wagtaildocs_serve", EVERYONE, "a document in the public collection"),
    ("wagtaildocs_authenticate_with_password", EVERYONE, "a private collection's password form"),
    ("wagtailcore_authenticate_with_password", EVERYONE, "a private page's password form"),
    ("wagtailcore_login", EVERYONE, "login form of private pages"),
    ("wagtail_serve", EVERYONE, "the demo's pages are public; one live page of each type"),
    (r"/media/", EVERYONE, "public uploads (images)"),
    ("login", EVERYONE, "the form; signed-in users are sent on"),
    ("logout", NOBODY, POST_ONLY),
    # Decision: 404 while no identity provider is configured (as in this test).
    ("oidc_authentication_init", NOBODY, "404: no identity provider configured"),
    ("oidc_authentication_callback", NOBODY, "404: no identity provider configured"),
    ("set_language", EVERYONE, "language switch"),
    ("javascript-catalog", EVERYONE, "translations for scripts"),
    ("certificates:verify", EVERYONE, "public verification form"),
    ("certificates:verify_code", EVERYONE, "name, course, date and status only"),
    # ------------------------------------------------------------------ learners
    ("courses:my", SIGNED_IN, "one's own courses (an empty page without a staff record)"),
    ("courses:my_data", SIGNED_IN, "one's own data"),
    ("courses:my_data_json", SIGNED_IN, "one's own data, as JSON"),
    ("courses:my_data_pdf", SIGNED_IN, "one's own data, as PDF"),
    ("certificates:mine", SIGNED_IN, "one's own certificates"),
    ("courses:course_start", NOBODY, POST_ONLY),
    ("courses:module_read", NOBODY, POST_ONLY),
    ("courses:video_progress", NOBODY, POST_ONLY),
    ("courses:reflection_save", NOBODY, POST_ONLY),
    ("lecture_viewed", NOBODY, POST_ONLY),
    ("courses:session_list", SIGNED_IN, "sessions one may register for"),
    ("courses:session_detail", SIGNED_IN, "a session's public details"),
    ("courses:session_checkin", SIGNED_IN, "the check-in form"),
    ("courses:session_register", NOBODY, POST_ONLY),
    ("courses:session_cancel", NOBODY, POST_ONLY),
    # Decision: staff outside the session get 404 from its calendar.ics.
    ("courses:session_calendar", {STAFF_OTHER}, "only for one registered (staff_other is)"),
    # Decision: a manager without a staff record (and the admin) gets 403.
    ("quizzes:test_intro", WITH_STAFF_RECORD, "knowledge tests are for staff members"),
    ("quizzes:evaluation", WITH_STAFF_RECORD, "course evaluations are for staff members"),
    ("courses:scorm_start", NOBODY, POST_ONLY),
    ("courses:scorm_commit", NOBODY, POST_ONLY),
    # Decision: a package's files answer 404 to everyone but the attempt's owner.
    ("courses:scorm_file", {STAFF}, "one's own attempt's package only"),
    ("quizzes:attempt_start", NOBODY, POST_ONLY),
    ("quizzes:attempt_submit", NOBODY, POST_ONLY),
    ("quizzes:attempt", {STAFF}, "one's own attempt only"),
    ("quizzes:attempt_result", {STAFF}, "one's own attempt only"),
    (
        "certificates:download",
        {STAFF, MANAGER} | PERSONAL,
        "holder, their manager",
    ),
    # ------------------------------------------------------------------ reports, sessions
    # Decision: anonymous gets 403 here (permission_required), not a login redirect.
    ("quizzes:evaluation_results", IN_ADMIN, "aggregates for editors and coordinators"),
    # Decision: anonymous gets 404 from the roster, its export and the check-in code.
    ("courses:session_roster", PERSONAL, "who registered and attended"),
    ("courses:session_roster_export", PERSONAL, "who registered and attended"),
    ("courses:session_checkin_code", PERSONAL, "the code is for the course leader"),
    ("courses:session_checkin_projector", PERSONAL, "the code, large, for the course leader"),
    ("courses:session_walk_in", NOBODY, POST_ONLY),
    ("courses:session_walk_ins", NOBODY, POST_ONLY),
    ("courses:coverage", PERSONAL, "the whole organisation"),
    ("courses:coverage_people", PERSONAL, "the whole organisation, by name"),
    ("courses:followup", PERSONAL, "the whole organisation"),
    ("courses:followup_pdf", NOBODY, POST_ONLY),
    ("courses:followup_file", WHOLE_CITY, "the whole organisation's PDF"),
    ("courses:followup_xlsx", PERSONAL, "the whole organisation"),
    ("courses:followup_adopt", NOBODY, POST_ONLY),
    ("courses:followup_snapshot_pdf", WHOLE_CITY, "an adopted follow-up of the whole city"),
    # Decision: the coverage export answers managers too, counted over their units only.
    ("courses:coverage_export", REPORTERS, "managers on purpose, scoped to their subtrees"),
    ("courses:manager_report", REPORTERS, "each manager sees their own subtrees"),
    ("courses:manager_export", REPORTERS, "each manager sees their own subtrees"),
    ("courses:manager_remind", NOBODY, POST_ONLY),
    ("courses:manager_digest", NOBODY, POST_ONLY),
    ("certificates:staff", REPORTERS, "each manager sees their own subtrees"),
    ("certificates:staff_zip", REPORTERS, "each manager sees their own subtrees"),
    # ------------------------------------------------------------------ admin: open parts
    ("wagtailadmin_login", EVERYONE, "the form; signed-in users are sent on"),
    (r"/admin/password_reset/", EVERYONE, "password reset forms"),
    ("wagtailadmin_sprite", EVERYONE, "icons"),
    ("wagtailadmin_javascript_catalog", EVERYONE, "translations for scripts"),
    (r"/admin/no-such-page/", NOBODY, "the admin's catch-all 404"),
    (r"/admin/test404/", IN_ADMIN, "Wagtail's 404 test page"),
    ("wagtailadmin_home", IN_ADMIN, "dashboard"),
    ("wagtailadmin_account", IN_ADMIN, "one's own account"),
    ("wagtailadmin_dismissibles", IN_ADMIN, "one's own dismissed hints"),
    (r"/admin/editing-sessions/", NOBODY, POST_ONLY),
    ("wagtailadmin_block_preview", NOBODY, "404 without a block to preview"),
    ("wagtailadmin_tag_autocomplete", IN_ADMIN, "tag names"),
    ("wagtailadmin_tag_model_autocomplete", NOBODY, "404 for images here, for every role"),
    (r"/admin/choose-", IN_ADMIN, "page and link choosers: only pages, which are content"),
    (r"/admin/embeds/", IN_ADMIN, "embed chooser"),
    (r"/admin/snippets/$", IN_ADMIN, "lists only the snippet models the user may see"),
    # ------------------------------------------------------------------ admin: personal data
    # Issued by the system: nobody adds, copies or edits one (usage needs "change" too).
    (SNIPPET + r"certificates/certificate/(add|edit|copy|create|usage)", NOBODY, "issued"),
    (SNIPPET + r"certificates/certificate/history", ADMIN_ONLY, "coordinators view, revoke"),
    (SNIPPET + r"courses/completion/(edit|usage)", ADMIN_ONLY, "completions are not edited"),
    (
        SNIPPET
        + r"(courses/(unit|targetgroup|staffmember|completion)|certificates/certificate)/delete",
        ADMIN_ONLY,
        NO_DELETE,
    ),  # noqa: E501
    (
        SNIPPET + "courses/coordinatorscope/",
        ADMIN_ONLY,
        "who coordinates which part of the city: set by administrators",
    ),
    (SNIPPET + PERSONAL_MODELS + "/", PERSONAL, PERSONAL_WHY),
    # Provider sign-ins (who has no staff record) for coordinators; refusals (IP addresses)
    # for admins; read-only for everyone, admins included.
    (
        r"/admin/(provider-accounts|signin-refusals)/(new|edit|delete|copy|history|usage)",
        NOBODY,
        "read-only: the history and usage views need the change permission nobody has",
    ),
    (r"/admin/provider-accounts/", PERSONAL, PERSONAL_WHY),
    (r"/admin/signin-refusals/", ADMIN_ONLY, "the audit of refused sign-ins"),
    # SCORM attempts: coordinators see and reset them; nobody adds one by hand.
    (SNIPPET + r"courses/scormattempt/(add|copy|create|delete)", ADMIN_ONLY, NO_DELETE),
    (SNIPPET + r"courses/scormattempt/", PERSONAL, PERSONAL_WHY),
    # Failed background tasks: their arguments name people (ids), so coordinators only.
    (r"/admin/tasks/(results/|inspect/|$|\?)", PERSONAL, "failed tasks, with their errors"),
    (r"/admin/tasks/", NOBODY, "the queue's records: nobody adds, edits or deletes one"),
    # Adopted follow-ups and the retention log: read-only records, coordinators view them.
    (
        r"/admin/(adopted-followups|retention)/(inspect/|$|\?|results/)",
        PERSONAL,
        "adopted follow-ups and the retention log, read only",
    ),
    (r"/admin/(adopted-followups|retention)/", NOBODY, "nobody adds, edits or deletes one"),
    # The HR import (files of everyone's employment) and its log: the whole city's
    # coordinators only (a district's sees an empty log and cannot open a record).
    (r"/admin/hr-import/\d+/(confirm|discard)/", NOBODY, POST_ONLY),
    (r"/admin/hr-import/", WHOLE_CITY, "HR's files: the whole organisation, by name"),
    (r"/admin/hr-imports/inspect/", WHOLE_CITY, "an HR import's record, read only"),
    (r"/admin/hr-imports/($|\?|results/)", PERSONAL, "the HR import log, read only"),
    (r"/admin/hr-imports/", NOBODY, "the log is written by imports only"),
    # ------------------------------------------------------------------ admin: content
    (SNIPPET + r"cms/concerncontact/delete", ADMIN_ONLY, "editors have no delete permission"),
    (SNIPPET + r"cms/concerncontact/", CONTENT, "contacts shown on the site"),
    (SNIPPET + r"quizzes/evaluationpoll/delete", ADMIN_ONLY, "editors have no delete permission"),
    (
        r"/admin/snippets/(choose/)?quizzes/\w+/(\?|results/|chosen|$)",
        IN_ADMIN,
        "coordinators view",
    ),  # noqa: E501
    (SNIPPET + r"quizzes/(knowledgetest|evaluationpoll)/", CONTENT, "editors write the quizzes"),
    # SCORM packages: editors upload them; versions are made by uploads, only looked at.
    (SNIPPET + r"courses/scormpackage/delete", ADMIN_ONLY, "editors have no delete permission"),
    (
        SNIPPET + r"courses/scormpackageversion/(add|copy|create|edit|delete|usage|history)",
        ADMIN_ONLY,
        "versions come from uploads",
    ),  # noqa: E501
    (SNIPPET + r"courses/scormpackage(version)?/", CONTENT, "editors' packages"),
    (r"/admin/quizzes/question-stats/reorder/", NOBODY, POST_ONLY),
    (r"/admin/quizzes/question-stats/(results/)?$", IN_ADMIN, "statistics per question"),
    (r"/admin/quizzes/question-stats/", ADMIN_ONLY, "questions are edited in their test"),
    (r"/admin/bulk/auth/user/", ADMIN_ONLY, "accounts"),
    # Wagtail checks these object by object and names those the user may not act on: page,
    # image and document titles, which are public content.
    (r"/admin/bulk/wagtail(core|images|docs)/", IN_ADMIN, "content titles at most"),
    (r"/admin/pages/\d+/(set_position|lock|unlock)/", NOBODY, POST_ONLY),
    (r"/admin/pages/\d+/convert_alias/", NOBODY, "404: the page is no alias"),
    (r"/admin/pages/\d+/(delete|unpublish)/", ADMIN_ONLY, "editors do not delete or unpublish"),
    (r"/admin/pages/workflow/(action|collect_action_data|preview)/", ADMIN_ONLY, "reviewers"),
    # Wagtail checks these on POST; the GET shows page titles only, which are content.
    (r"/admin/pages/(\d+/move/\d+/confirm|workflow/confirm_cancellation)/", IN_ADMIN, "titles"),
    (r"/admin/pages/create/", IN_ADMIN, "lists the parents one may add to (none: empty)"),
    (r"/admin/pages/\d+/revisions/$", IN_ADMIN, "redirects to the history, checked there"),
    (r"/admin/pages/", CONTENT, "the page tree"),
    (r"/admin/api/main/\w+/find/", NOBODY, "404 without a path or id to find"),
    (r"/admin/api/main/pages/\d+/action/", NOBODY, POST_ONLY),
    (r"/admin/api/main/pages/\d+/", CONTENT, "a page in the explorer"),
    (r"/admin/api/main/", IN_ADMIN, "the explorer's menu: public content"),
    (r"/admin/reports/site-history/", IN_ADMIN, "Wagtail shows only models one may see"),
    (r"/admin/reports/", CONTENT, "page reports"),
    (r"/admin/(documents|images)/multiple/\d", NOBODY, POST_ONLY),
    (r"/admin/(documents|images)/multiple/\w+/\d", NOBODY, POST_ONLY),
    (r"/admin/images/\d+/generate_url/", NOBODY, "404: the URL generator is off"),
    (
        r"/admin/(documents|images)/chooser/(results/|chosen-multiple/|$)",
        IN_ADMIN,
        "lists only what one may choose",
    ),  # noqa: E501
    (r"/admin/media/chooser/(video/)?$", IN_ADMIN, "lists only what one may choose"),
    (r"/admin/(documents|images|media)/", CONTENT, "documents, images and media"),
    (r"/admin/settings/cms/sitesettings/\d+/preview/", NOBODY, "404: no preview"),
    (r"/admin/settings/", CONTENT, "site settings"),
    (r"/admin/workflows/(enable|remove|tasks/enable)/", NOBODY, POST_ONLY),
    (r"/admin/workflows/task_chooser/", IN_ADMIN, "task names"),
    (r"/admin/redirects/import/process/", NOBODY, POST_ONLY),
    (r"/admin/(workflows|collections|redirects|sites|users|groups)/", ADMIN_ONLY, "set-up"),
]

# Object-level scope, with the "other" roles: URLs of one person or unit. {name} is filled
# with the test's sample objects.
SCOPE_CHECKS = [
    (
        "/certificates/{certificate_other}/pdf/",
        {STAFF_OTHER, MANAGER_OTHER} | PERSONAL,
        "the preschool's certificate: its holder and their manager, not ours",
    ),
    (
        "/reports/?unit={unit}",
        {MANAGER} | PERSONAL,
        "a unit of manager's subtree",
    ),
    ("/reports/?unit={unit_other}", {MANAGER_OTHER} | PERSONAL, "a preschool"),
    (
        "/reports/export.csv?unit={unit}",
        {MANAGER} | PERSONAL,
        "manager's subtree",
    ),
    (
        "/reports/coverage/export/csv/?unit={unit_other_code}",
        {MANAGER_OTHER} | PERSONAL,
        "coverage of a preschool",
    ),
    (
        "/certificates/staff/?unit={unit_code}",
        {MANAGER} | PERSONAL,
        "manager's unit",
    ),
    (
        "/certificates/staff/zip/?unit={unit_other_code}",
        {MANAGER_OTHER} | PERSONAL,
        "a preschool's certificates",
    ),
    # The second district: the city's central coordinator, not the district's.
    (
        "/reports/coverage/?course=grundutbildning&unit={district_other_code}",
        WHOLE_CITY,
        "coverage of the other district",
    ),
    (
        "/reports/coverage/people/?course=grundutbildning&unit={district_other_code}",
        WHOLE_CITY,
        "the other district's people",
    ),
    (
        "/reports/coverage/export/csv/?unit={district_other_code}",
        WHOLE_CITY,
        "the other district's coverage as a file",
    ),
    ("/reports/?unit={district_other}", WHOLE_CITY, "the other district's manager report"),
    (
        "/certificates/staff/?unit={district_other_code}",
        WHOLE_CITY,
        "the other district's certificates",
    ),
]
