"""The engine's messages (refusals, validation, lock-out, lifecycle guards) as the app
shows them through `ui.i18n.say`, listed for `pyside6-lupdate`.

Written by `python tools/engine_texts.py` from desktop/domain, services, store and plant;
do not edit by hand.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP

ENGINE_TEXTS = (
    QT_TR_NOOP("must be zero or more"),
    QT_TR_NOOP("must be more than 0 seconds"),
    QT_TR_NOOP(
        "a whole number of milliseconds from {sampling_min_ms} to {sampling_max_ms}, or "
        "empty for the tag class's default"
    ),
    QT_TR_NOOP("must be a number"),
    QT_TR_NOOP("must be zero or more seconds"),
    QT_TR_NOOP("not a discovery proposal ({exc})"),
    QT_TR_NOOP("unknown code {code}; use one of {codes}"),
    QT_TR_NOOP("cannot {verb} {part}: only {available} of {wanted} available in bin {bin_code}"),
    QT_TR_NOOP("no technician assigned"),
    QT_TR_NOOP("only emergency work may skip approval and scheduling (this is {type})"),
    QT_TR_NOOP("no hold reason (parts, access, shutdown or other)"),
    QT_TR_NOOP("no reason given"),
    QT_TR_NOOP("no labour logged"),
    QT_TR_NOOP('checklist item {pos} "{text}" unanswered'),
    QT_TR_NOOP("no {name} code"),
    QT_TR_NOOP("failure mode"),
    QT_TR_NOOP("failure mechanism"),
    QT_TR_NOOP("failure cause"),
    QT_TR_NOOP("activity"),
    QT_TR_NOOP("{open_downtime_periods} downtime period(s) without an end time"),
    QT_TR_NOOP("asset was down but no downtime recorded"),
    QT_TR_NOOP("isolation {position} ({energy_source} at {lock_point})"),
    QT_TR_NOOP("{label} not locked"),
    QT_TR_NOOP("{label} locked but zero energy not verified"),
    QT_TR_NOOP("{label} still locked: record its release first"),
    QT_TR_NOOP(
        "{signer_name} already signed this order's safety sign-off; a second person "
        "must sign the other"
    ),
    QT_TR_NOOP("{value} is not a meter reading: give the number on the counter"),
    QT_TR_NOOP("a meter reading cannot be negative"),
    QT_TR_NOOP("the counter wraps at {rollover}: a reading must be below it"),
    QT_TR_NOOP("the last reading is from {last_at} UTC: readings go in time order"),
    QT_TR_NOOP(
        "{value} is below the last reading {last_value}: if the meter was replaced or "
        "reset, record it as a reset; otherwise correct the value"
    ),
    QT_TR_NOOP(
        "{delta} runtime hours in {elapsed} hours of clock time is not possible: check "
        "the value and the time"
    ),
    QT_TR_NOOP("read"),
    QT_TR_NOOP("create work orders"),
    QT_TR_NOOP("edit work orders"),
    QT_TR_NOOP("log labour, checklists, downtime and attachments"),
    QT_TR_NOOP("assign technicians"),
    QT_TR_NOOP("change the failure flag"),
    QT_TR_NOOP("add addenda to closed work orders"),
    QT_TR_NOOP("manage assets"),
    QT_TR_NOOP("manage checklist templates"),
    QT_TR_NOOP("manage users"),
    QT_TR_NOOP("manage PM schedules, meters and the site calendar"),
    QT_TR_NOOP("generate preventive work orders"),
    QT_TR_NOOP("record meter readings"),
    QT_TR_NOOP("issue parts to work orders and return them"),
    QT_TR_NOOP("receive, adjust and transfer stock"),
    QT_TR_NOOP("manage parts, vendors, bins and stock levels"),
    QT_TR_NOOP("raise requisitions and purchase orders"),
    QT_TR_NOOP("manage OPC UA tags and condition rules"),
    QT_TR_NOOP("acknowledge alarms"),
    QT_TR_NOOP("restore the database from a backup"),
    QT_TR_NOOP("raise a breakdown request with an operator PIN"),
    QT_TR_NOOP("{username} ({role}) may not {action}"),
    QT_TR_NOOP("{username} ({role}) may not {what} ({allowed})"),
    QT_TR_NOOP("no allowed due date after {nominal}: check the blackouts and the calendar"),
    QT_TR_NOOP(
        "signal {tag_name} not yet back in band for {minutes} min after the repair ({reason})"
    ),
    QT_TR_NOOP("{text}: write a shift as HH:MM-HH:MM, e.g. 06:00-14:00"),
    QT_TR_NOOP("{text}: a shift needs a length"),
    QT_TR_NOOP("no working day within a year of {day}: check the site calendar"),
    QT_TR_NOOP("{part}: use mon, tue, wed, thu, fri, sat, sun or ranges mon-fri"),
    QT_TR_NOOP("{part}: a range runs forward, e.g. mon-fri"),
    QT_TR_NOOP("name at least one working day, e.g. mon-fri"),
    QT_TR_NOOP("this connection has no certificate folder"),
    QT_TR_NOOP("{endpoint}, {count} tags"),
    QT_TR_NOOP("server connection lost"),
    QT_TR_NOOP("{product}, state {state}"),
    QT_TR_NOOP("server"),
    QT_TR_NOOP("Connected. {server}."),
    QT_TR_NOOP("write it as opc.tcp://host:port/path"),
    QT_TR_NOOP(
        "leave the login out of the endpoint: give the user name as the OPC UA user and "
        "the password in WRENCHBOOK_OPC_PASSWORD"
    ),
    QT_TR_NOOP("signing needs a certificate folder"),
    QT_TR_NOOP("give both a user name and a password, or neither"),
    QT_TR_NOOP(
        "a user name and password are not sent over security mode None: set the OPC UA "
        "security to sign_and_encrypt (Settings › Plant), or leave the login out"
    ),
    QT_TR_NOOP("give both the client certificate and its key, or neither"),
    QT_TR_NOOP("no asset {code}"),
    QT_TR_NOOP("Settings › Plant, or --security / --opc-user"),
    QT_TR_NOOP("the pki/own folder"),
    QT_TR_NOOP(
        "cannot connect to {endpoint}: connection refused, no OPC UA server listens "
        "there; start the server or correct the endpoint"
    ),
    QT_TR_NOOP("cannot connect to {endpoint}: the host name is not known; correct the endpoint"),
    QT_TR_NOOP(
        "no answer from {endpoint} within {seconds} s; check that the server runs and "
        "that no firewall blocks the port"
    ),
    QT_TR_NOOP(
        "{endpoint} offers no endpoint with OPC UA security {security}; choose a "
        "security the server offers ({settings})"
    ),
    QT_TR_NOOP("{endpoint} closed the connection during the handshake; check the server's log"),
    QT_TR_NOOP("cannot connect to {endpoint}: {reason}; check the network and the endpoint"),
    QT_TR_NOOP("OPC UA failure at {endpoint}: {reason}; check the server's log"),
    QT_TR_NOOP(
        "{endpoint} refused the login {username} ({code}); check the OPC UA user name "
        "and password ({settings})"
    ),
    QT_TR_NOOP(
        "{endpoint} refused anonymous logins ({code}); give an OPC UA user name and "
        "password ({settings})"
    ),
    QT_TR_NOOP(
        "{endpoint} refused OPC UA security {security} ({code}); choose a security the "
        "server offers ({settings})"
    ),
    QT_TR_NOOP(
        "{endpoint} did not answer in time ({code}); check that the server runs and keeps up"
    ),
    QT_TR_NOOP("{endpoint} refused the request ({code}); check the server's log"),
    QT_TR_NOOP(
        "{endpoint} refused this workstation's certificate ({code}); trust "
        "{certificate} on the server, then connect again"
    ),
    QT_TR_NOOP(
        "{endpoint} refused this workstation's certificate; trust {certificate} on the "
        "server, then connect again"
    ),
    QT_TR_NOOP("the plant server does not know the namespace {namespace}"),
    QT_TR_NOOP("{node} reads with bad quality ({code})"),
    QT_TR_NOOP("{node} gives no number"),
    QT_TR_NOOP("no answer from the plant within {seconds} s; zero energy not verified"),
    QT_TR_NOOP("cannot read {node} from the plant: {reason}"),
    QT_TR_NOOP(
        "the server certificate {thumbprint} is not trusted: it was saved to "
        "{saved_to}; trust it (move it into trusted/ or use `plant trust`) and connect "
        "again"
    ),
    QT_TR_NOOP("cannot use the client certificate {path}: {reason}"),
    QT_TR_NOOP(
        "the client certificate {path} names no application URI (subject alternative "
        "name URI): OPC UA servers refuse it"
    ),
    QT_TR_NOOP("the private key {path} does not exist"),
    QT_TR_NOOP("no rejected certificate {thumbprint} in {folder}"),
    QT_TR_NOOP("changes only, queue {queue}"),
    QT_TR_NOOP("every {interval} ms, queue {queue}"),
    QT_TR_NOOP(
        "{tag}: the server revised sampling to changes only (asked {asked} ms); values "
        "that do not change are not sent"
    ),
    QT_TR_NOOP(
        "{tag}: the server samples every {interval} ms, not the {asked} ms asked: fewer "
        "values than asked"
    ),
    QT_TR_NOOP(
        "{tag}: the server queues {queue} values, not the {asked} asked: values between "
        "two publishes may be lost"
    ),
    QT_TR_NOOP("tag {id}"),
    QT_TR_NOOP("server sampling: {parts}"),
    QT_TR_NOOP("warning: {warning}"),
    QT_TR_NOOP("{count} tag on changes only (queue {queue})"),
    QT_TR_NOOP("{count} tags on changes only (queue {queue})"),
    QT_TR_NOOP("{count} tag every {interval} ms (queue {queue})"),
    QT_TR_NOOP("{count} tags every {interval} ms (queue {queue})"),
    QT_TR_NOOP(
        "{tag}: {received} values in the last {seconds} s, where every {interval} ms "
        "implies about {expected}, and it reads {now} now against {last} last sent: the "
        "server sends fewer values than asked (changes only?)"
    ),
    QT_TR_NOOP("nothing"),
    QT_TR_NOOP("fewer values than asked from {tags} and {more} more"),
    QT_TR_NOOP("fewer values than asked from {tags}"),
    QT_TR_NOOP("{target} exists already: choose a new file name"),
    QT_TR_NOOP(
        "the database is at schema revision {revision}, this Wrenchbook expects "
        "{head_revision}: open it with this version once to upgrade it, then back it up"
    ),
    QT_TR_NOOP("Connected. The database is empty: the next start creates it."),
    QT_TR_NOOP("Connected. Schema up to date (revision {revision})."),
    QT_TR_NOOP(
        "Connected. Schema revision {revision} is upgraded to {head_revision} at the "
        "next start (after a backup of a SQLite file)."
    ),
    QT_TR_NOOP(
        "Connected, but the schema (revision {revision}) is newer than this Wrenchbook "
        "({head_revision}): update Wrenchbook on this workstation first."
    ),
    QT_TR_NOOP("{problems}"),
    QT_TR_NOOP("The folder {parent} does not exist."),
    QT_TR_NOOP("No file yet: the next start creates {path}."),
    QT_TR_NOOP(
        "Server reached. It asks everyone for their own login: each person logs in with "
        "their Wrenchbook user name and password."
    ),
    QT_TR_NOOP("Cannot connect: {reason}"),
    QT_TR_NOOP(
        "No credential store on this computer, so the password is not saved: give it in "
        "PGPASSWORD or in PostgreSQL's password file "
        "(%APPDATA%\\postgresql\\pgpass.conf on Windows, ~/.pgpass elsewhere)."
    ),
    QT_TR_NOOP(
        "No credential store on this computer, so the password is not saved: give it in "
        "the {variable} environment variable."
    ),
    QT_TR_NOOP("cannot save the password in {store_name}: {exc}"),
    QT_TR_NOOP("{raw} is not a plain number (e.g. 1234.5)"),
    QT_TR_NOOP("{raw} is not a date (YYYY-MM-DD)"),
    QT_TR_NOOP("required: one of {allowed}"),
    QT_TR_NOOP("{raw} is not one of {allowed}"),
    QT_TR_NOOP("old Excel format (.xls): save it as .xlsx or CSV"),
    QT_TR_NOOP("not a CSV or Excel (.xlsx) file"),
    QT_TR_NOOP("{size} bytes; at most {max_file_bytes} can be imported at once"),
    QT_TR_NOOP("no such file"),
    QT_TR_NOOP("a folder, not a file"),
    QT_TR_NOOP("no permission to read it"),
    QT_TR_NOOP("the file is empty"),
    QT_TR_NOOP("cannot decode the text (tried {tried})"),
    QT_TR_NOOP(
        "not a text file: it holds NUL bytes (binary data, or UTF-16 text without its "
        "byte-order mark): save it from Excel as CSV UTF-8"
    ),
    QT_TR_NOOP("not a well-formed CSV file ({problem})"),
    QT_TR_NOOP("not a readable Excel workbook: the file is damaged or not .xlsx ({problem})"),
    QT_TR_NOOP(
        "the workbook unpacks to {size} MB, more than the {limit} MB an import reads: "
        "split it, or save as CSV"
    ),
    QT_TR_NOOP("not a readable Excel workbook ({problem})"),
    QT_TR_NOOP(
        "sheet {title} has {rows} rows × {columns} columns, more than an import reads "
        "({xlsx_max_rows} rows, {xlsx_max_cells} cells): split it"
    ),
    QT_TR_NOOP("no data rows below the header"),
    QT_TR_NOOP("holds data but has no name"),
    QT_TR_NOOP("appears twice (columns {first} and {letter})"),
    QT_TR_NOOP(
        "passwords do not belong in spreadsheets: remove the column; every new user "
        "gets a generated password"
    ),
    QT_TR_NOOP("missing required column(s) {missing} (found: {found})"),
    QT_TR_NOOP("cycle {codes}"),
    QT_TR_NOOP(
        "a relay login over an unencrypted connection would send the password in clear "
        "text: set security to starttls (port 587) or tls (465)"
    ),
    QT_TR_NOOP(
        "no password for the relay login {username}: save it with `notify relay "
        "password` or set {smtp_password_env}"
    ),
    QT_TR_NOOP("the relay {where} refused the login {username}: {exc}"),
    QT_TR_NOOP("the relay {where} refused the address {to}"),
    QT_TR_NOOP(
        "TLS with {where} failed ({reason}): check the relay's certificate and the "
        "security setting (starttls on 587, tls on 465)"
    ),
    QT_TR_NOOP("cannot send through {where}: {exc}"),
    QT_TR_NOOP("{email} is not a mail address (name@domain)"),
    QT_TR_NOOP("give the SMTP relay's host name"),
    QT_TR_NOOP("a port is 1-65535 (587 for STARTTLS, 465 for TLS)"),
    QT_TR_NOOP("one of {securities}"),
    QT_TR_NOOP("the From address, e.g. wrenchbook@plant.example"),
    QT_TR_NOOP("no user {username}"),
    QT_TR_NOOP("the database is not at this Wrenchbook's schema: open it first"),
    QT_TR_NOOP("{source} fails its audit check: {problem}"),
    QT_TR_NOOP(
        "a restore replaces every table, so on the site server it needs the migrator "
        "login: run `restore --from FILE --yes --db "
        "postgresql+psycopg://MIGRATOR@HOST/DB`"
    ),
    QT_TR_NOOP("this database has users: restoring over it needs an administrator (--user)"),
    QT_TR_NOOP("there is no backup file {source}"),
    QT_TR_NOOP("{source} is not a Wrenchbook backup: it is not a SQLite database file"),
    QT_TR_NOOP("{source} is damaged: {problems}"),
    QT_TR_NOOP("{source} is not a Wrenchbook backup: it has no {missing} table"),
    QT_TR_NOOP("{source} is damaged: {exc}"),
    QT_TR_NOOP(
        "{source} was made by another or a newer Wrenchbook (schema revision "
        "{made_at}); this one reads revisions up to {head_revision}"
    ),
    QT_TR_NOOP("cannot upgrade {source} from schema revision {revision}: {exc}"),
    QT_TR_NOOP("unknown user or wrong password"),
    QT_TR_NOOP(
        "no Windows sign-on on this computer (no Kerberos ticket): log in to the domain "
        "(or run kinit), or log in with your password"
    ),
    QT_TR_NOOP("the server does not offer Windows sign-on here: log in with your password"),
    QT_TR_NOOP(
        "Windows sign-on refused: the server does not let this Windows account log in "
        "as '{name}' (no such user, deactivated, or another person's)"
    ),
    QT_TR_NOOP("at least {min_password_length} characters"),
    QT_TR_NOOP("letters and at least one digit or symbol"),
    QT_TR_NOOP("no user name in it"),
    QT_TR_NOOP("no spaces at the start or end"),
    QT_TR_NOOP("not a common word with digits or symbols added (like Password1!)"),
    QT_TR_NOOP("{shortest} to {longest} digits"),
    QT_TR_NOOP("not one digit repeated or a run like 1234"),
    QT_TR_NOOP("not a repeated pattern like 1212 or a keypad line like 2580"),
    QT_TR_NOOP("required"),
    QT_TR_NOOP("at most 200 characters"),
    QT_TR_NOOP("must not be negative"),
    QT_TR_NOOP("must be between 0 and 80"),
    QT_TR_NOOP("letters, digits, '.', '_' or '-' only, not empty"),
    QT_TR_NOOP("at most 64 characters"),
    QT_TR_NOOP("needs {rules}"),
    QT_TR_NOOP("{time} UTC"),
    QT_TR_NOOP("later"),
    QT_TR_NOOP(
        "{username} is locked after {failures} failed log-ins until {until}; wait, or "
        "ask an administrator to unlock the account"
    ),
    QT_TR_NOOP("users exist already; log in as an admin"),
    QT_TR_NOOP("{username} is taken"),
    QT_TR_NOOP("this database login is no person's own: no sign-on"),
    QT_TR_NOOP("the last active administrator stays one; make another first"),
    QT_TR_NOOP("you cannot deactivate your own account"),
    QT_TR_NOOP("the last active administrator cannot be deactivated"),
    QT_TR_NOOP("no active user {username}"),
    QT_TR_NOOP(
        "cannot read the database URL: write e.g. "
        "sqlite:///C:/Wrenchbook/wrenchbook.sqlite3 or "
        "postgresql+psycopg://user@server/wrenchbook"
    ),
    QT_TR_NOOP("give the SQLite file's path (an in-memory database keeps nothing)"),
    QT_TR_NOOP("unsupported database {drivername}: use SQLite or PostgreSQL"),
    QT_TR_NOOP(
        "take the password out of the URL: the settings file is readable by anyone on "
        "this computer; the password goes into the password field"
    ),
    QT_TR_NOOP("give the PostgreSQL server's host name"),
    QT_TR_NOOP("give the name of the database on the server"),
    QT_TR_NOOP("write the OPC UA endpoint as opc.tcp://host:port/path"),
    QT_TR_NOOP("OPC UA security must be one of {security_modes}"),
    QT_TR_NOOP("OPC UA security policy must be one of {policies}"),
    QT_TR_NOOP("give both the client certificate and its private key, or neither"),
    QT_TR_NOOP("the {label} file {path} does not exist"),
    QT_TR_NOOP("needs a time zone"),
    QT_TR_NOOP("cannot write to {value}: {strerror}"),
    QT_TR_NOOP(
        "{name} has more rows than an Excel sheet holds ({value}): export CSV files instead"
    ),
    QT_TR_NOOP("no export format for {kind}"),
    QT_TR_NOOP(
        "running hours from tags for {tagged} of {assets} assets, calendar hours less "
        "downtime for the rest"
    ),
    QT_TR_NOOP("calendar hours less downtime (no running-hours tags)"),
    QT_TR_NOOP("from the failure"),
    QT_TR_NOOP("from technician start"),
    QT_TR_NOOP("{failures} failures; {variant}"),
    QT_TR_NOOP("no failures in {hours} operating hours"),
    QT_TR_NOOP("{assets} assets; {basis}"),
    QT_TR_NOOP("{assets} assets; planned and unplanned downtime"),
    QT_TR_NOOP("{orders} orders, {hours} h remaining; crew {crew} h/week"),
    QT_TR_NOOP("open orders past their due time"),
    QT_TR_NOOP("not available"),
    QT_TR_NOOP("needs the PM schedules (their intervals set the grace); not connected"),
    QT_TR_NOOP("{orders} PM orders due"),
    QT_TR_NOOP("{orders} orders on weekly schedules that have ended"),
    QT_TR_NOOP("of {hours} labour hours (by entry date)"),
    QT_TR_NOOP(
        "{booked} h booked of {available} h; {technicians} active technicians, "
        "site-wide, absences not recorded"
    ),
    QT_TR_NOOP("{orders} orders completed; labour, parts issued (no external cost field)"),
    QT_TR_NOOP("annualised; replacement value {value}"),
    QT_TR_NOOP("n/a"),
    QT_TR_NOOP("{value} %"),
    QT_TR_NOOP("{value}"),
    QT_TR_NOOP("{value} weeks"),
    QT_TR_NOOP("{value} h"),
    QT_TR_NOOP("give the period as aware (UTC) times"),
    QT_TR_NOOP("the period must be at least one day long (--to after --from)"),
    QT_TR_NOOP("this period and the one before it must lie between {earliest} and {latest}"),
    QT_TR_NOOP("1 to {max_buckets}"),
    QT_TR_NOOP("no asset {area}"),
    QT_TR_NOOP("no asset file {attachment_id}"),
    QT_TR_NOOP("more than 0 and at most {max_quantity}"),
    QT_TR_NOOP("choose a part"),
    QT_TR_NOOP("{number} is not on the spare-parts list of {code}"),
    QT_TR_NOOP("no part {number}"),
    QT_TR_NOOP("1-64 characters without spaces"),
    QT_TR_NOOP("required (e.g. pump, motor, conveyor)"),
    QT_TR_NOOP("{level} needs a parent asset"),
    QT_TR_NOOP("no asset {parent_code}"),
    QT_TR_NOOP("{level} cannot sit under {parent_level}"),
    QT_TR_NOOP("an {level}"),
    QT_TR_NOOP("a {level}"),
    QT_TR_NOOP("the site is set up by an admin once users exist"),
    QT_TR_NOOP("{code} exists already"),
    QT_TR_NOOP("no site yet: run `init` first"),
    QT_TR_NOOP("use Retire: it checks the open work first"),
    QT_TR_NOOP("{parent_code} is {asset_code} itself or below it"),
    QT_TR_NOOP("say why (sold, scrapped, replaced by ...)"),
    QT_TR_NOOP("finish or cancel its open work first: {orders}"),
    QT_TR_NOOP("its sub-assets include a {below}; it must stay above that level"),
    QT_TR_NOOP("at most 120 characters"),
    QT_TR_NOOP("the value the counter wraps at, more than 0"),
    QT_TR_NOOP("no asset {asset_code}"),
    QT_TR_NOOP("a meter {code} exists already"),
    QT_TR_NOOP("the time needs a time zone"),
    QT_TR_NOOP("the time is in the future"),
    QT_TR_NOOP("no meter {code}"),
    QT_TR_NOOP("no meter {meter_code}"),
    QT_TR_NOOP("the shifts add up to more than 24 hours"),
    QT_TR_NOOP("needs a country"),
    QT_TR_NOOP("must not be before the first day"),
    QT_TR_NOOP("required (e.g. summer shutdown)"),
    QT_TR_NOOP("no shutdown {name} from {day}"),
    QT_TR_NOOP("set up the site first (wrenchbook init)"),
    QT_TR_NOOP("no rule {rule_id}"),
    QT_TR_NOOP("no alarm {alarm_id}"),
    QT_TR_NOOP("not in the proposal"),
    QT_TR_NOOP("accept its parent {parent_code} too"),
    QT_TR_NOOP("accept its asset {asset_code} too"),
    QT_TR_NOOP("required (the namespace URI, not its index)"),
    QT_TR_NOOP("write it as i=…, s=…, g=… or b=… without ns="),
    QT_TR_NOOP("{name} appears twice"),
    QT_TR_NOOP("no tag {tag_name}"),
    QT_TR_NOOP("must be zero (no check) or more minutes"),
    QT_TR_NOOP("a rule named {name} exists"),
    QT_TR_NOOP("missing column(s) {missing}"),
    QT_TR_NOOP("one of {kinds}"),
    QT_TR_NOOP("a whole number of milliseconds, or empty for the tag class's default"),
    QT_TR_NOOP("give your name (2 to 100 characters)"),
    QT_TR_NOOP(
        "this kiosk's account {kiosk_account} does not exist or is inactive: an "
        "administrator creates it (a viewer) or sets kiosk/account"
    ),
    QT_TR_NOOP("alarm {id} is on another asset than {code}"),
    QT_TR_NOOP("1-32 characters without spaces"),
    QT_TR_NOOP("a checklist needs at least one item"),
    QT_TR_NOOP("needs a text of at most 300 characters"),
    QT_TR_NOOP('"{text}" is a measurement: give its unit'),
    QT_TR_NOOP('"{text}" is a measurement: give a low or high limit'),
    QT_TR_NOOP('"{text}": the low limit is above the high limit'),
    QT_TR_NOOP('"{text}": only measurements have a unit and limits'),
    QT_TR_NOOP("a code appears twice in the import"),
    QT_TR_NOOP("a checklist {code} exists already"),
    QT_TR_NOOP("no checklist template {code}"),
    QT_TR_NOOP("write the number of the lock you hung"),
    QT_TR_NOOP("already locked"),
    QT_TR_NOOP("lock it before verifying"),
    QT_TR_NOOP(
        "tag {name} proves zero energy but the plant connection is not available: "
        "connect to the plant and verify again"
    ),
    QT_TR_NOOP(
        "{name} reads {reading} (zero is at most {zero_max}): the machine is energised; "
        "verification refused"
    ),
    QT_TR_NOOP("no lock on it to remove"),
    QT_TR_NOOP("no safety alarm on {number} isolation {position}"),
    QT_TR_NOOP("already {acknowledgement}"),
    QT_TR_NOOP("{username}: {problem}"),
    QT_TR_NOOP("{number} is {status}"),
    QT_TR_NOOP("{number}'s asset has no isolation point {position}"),
    QT_TR_NOOP("no work order {number}"),
    QT_TR_NOOP("unknown stop reason {reason}; one of {codes}"),
    QT_TR_NOOP("no machine stop {period_id}"),
    QT_TR_NOOP("stop {period_id} is not a stop of {number}'s asset"),
    QT_TR_NOOP("give the mail server's host name"),
    QT_TR_NOOP("a port is 1-65535 (993 for TLS, 143 for STARTTLS)"),
    QT_TR_NOOP("one of tls, starttls, none"),
    QT_TR_NOOP("the mailbox's login name"),
    QT_TR_NOOP(
        "an unencrypted mailbox login would send the password in clear text: set "
        "security to tls (port 993) or starttls (143)"
    ),
    QT_TR_NOOP(
        "no asset {default_asset}: give the code of the asset that mails naming none "
        "are filed under"
    ),
    QT_TR_NOOP("larger than 30 MiB; ask the sender to link files"),
    QT_TR_NOOP(
        "the mail names no asset code and no default asset is set: notify mailbox set "
        "default_asset=CODE"
    ),
    QT_TR_NOOP(
        "no mailbox set: notify mailbox set host=… port=993 security=tls username=… "
        "default_asset=CODE"
    ),
    QT_TR_NOOP(
        "no password for the mailbox login {username}: save it in the credential store "
        "as '{imap_service}' or set {imap_password_env}"
    ),
    QT_TR_NOOP("the mailbox has no folder {folder}"),
    QT_TR_NOOP("the mail server {where} refused: {exc}"),
    QT_TR_NOOP(
        "TLS with {where} failed ({reason}): check the server's certificate and the "
        "security setting (tls on 993, starttls on 143)"
    ),
    QT_TR_NOOP("cannot reach the mail server {where}: {exc}"),
    QT_TR_NOOP("at most 20,000 characters"),
    QT_TR_NOOP("the incoming shift has acknowledged this handover: add to the next one"),
    QT_TR_NOOP("system"),
    QT_TR_NOOP("another user"),
    QT_TR_NOOP("{label} was acknowledged already"),
    QT_TR_NOOP("the incoming shift acknowledges: not who wrote the notes"),
    QT_TR_NOOP("no shift handover {handover_id}"),
    QT_TR_NOOP(
        'possible duplicate: open {type} work order {number} "{title}" ({status}) on {asset_code}'
    ),
    QT_TR_NOOP("at most {max_title} characters"),
    QT_TR_NOOP("must be more than 0 and at most 10000"),
    QT_TR_NOOP("must be a code (text) or empty"),
    QT_TR_NOOP("must be text"),
    QT_TR_NOOP("must be yes or no (true/false)"),
    QT_TR_NOOP("required, at most {max_title} characters"),
    QT_TR_NOOP("1 (emergency) to 4 (low)"),
    QT_TR_NOOP("must be a number of hours, more than 0 and at most 10000"),
    QT_TR_NOOP("needs a date and time with a time zone"),
    QT_TR_NOOP("must be after the scheduled start"),
    QT_TR_NOOP("{lead} is not among the assignees"),
    QT_TR_NOOP("no active user {missing}"),
    QT_TR_NOOP("{not_crew} cannot do work"),
    QT_TR_NOOP("{user} is already booked on {other} at that time"),
    QT_TR_NOOP("its alarm or repair start kept changing while the signal was read; try again"),
    QT_TR_NOOP("move to {status}"),
    QT_TR_NOOP("it is {status}, which can move to {allowed}"),
    QT_TR_NOOP("cannot {verb} {number}: {username} is a {role}; needs {roles}"),
    QT_TR_NOOP("{username} may only log their own hours"),
    QT_TR_NOOP("more than 0 and at most 24 per entry"),
    QT_TR_NOOP("cannot be in the future"),
    QT_TR_NOOP("no active technician {technician}"),
    QT_TR_NOOP("start and end need a time zone"),
    QT_TR_NOOP("must be after the start"),
    QT_TR_NOOP("must be after the start {start}"),
    QT_TR_NOOP("{number} has no checklist item {position}"),
    QT_TR_NOOP("a safety sign-off needs the signer's own password"),
    QT_TR_NOOP("no work order {missing}"),
    QT_TR_NOOP("one of {sort_columns}"),
    QT_TR_NOOP("{number} is {status} and read-only; add an addendum instead"),
    QT_TR_NOOP("no active checklist template {missing}"),
    QT_TR_NOOP("craft or technician"),
    QT_TR_NOOP("{number} is not an order of a PM schedule"),
    QT_TR_NOOP("{day} is not a working day ({why})"),
    QT_TR_NOOP("{day} is in a blackout of {code}{label}: {first}–{last}"),
    QT_TR_NOOP("required, at most 200 characters"),
    QT_TR_NOOP("give both the number and the unit (e.g. 3 months)"),
    QT_TR_NOOP("every 1 to 1000 days, weeks, months or years"),
    QT_TR_NOOP("give both the meter and the interval (e.g. every 500 h)"),
    QT_TR_NOOP("the meter interval must be a number more than 0"),
    QT_TR_NOOP("give a calendar interval, a meter interval, or both"),
    QT_TR_NOOP("0 to {max_lead_days} days"),
    QT_TR_NOOP("more than 0 and at most 10000"),
    QT_TR_NOOP("every kit line needs a part number"),
    QT_TR_NOOP("a part number appears twice; give it once with the total quantity"),
    QT_TR_NOOP("quantities must be numbers more than 0"),
    QT_TR_NOOP("a blackout ends before it starts"),
    QT_TR_NOOP("a schedule {code} exists already"),
    QT_TR_NOOP("ends before it starts"),
    QT_TR_NOOP("no PM schedule {code}"),
    QT_TR_NOOP("no active checklist template {checklist_code}"),
    QT_TR_NOOP("no active technician of the craft {craft}"),
    QT_TR_NOOP("the file needs a name"),
    QT_TR_NOOP("{name}… has a name longer than 255 characters; shorten it"),
    QT_TR_NOOP(
        "{name} is {value} MiB, larger than {mib} MiB; shrink or split it, or put it on "
        "the file server and note its path"
    ),
    QT_TR_NOOP("{name} is empty"),
    QT_TR_NOOP("{name} is {label}; attach {accepted}"),
    QT_TR_NOOP("{name} is {label} by its content, not {suffix}; rename it {expected}"),
    QT_TR_NOOP("{name}: {shown} not accepted; it is {label}, so name it {expected}"),
    QT_TR_NOOP("cannot read {name}: {strerror}"),
    QT_TR_NOOP(
        "{text} is not an anchor: write SEQ:HASH as verify-audit printed it (e.g. "
        "120:3fa9…, 64 hex digits), or row:SEQ:HASH for the row log"
    ),
    QT_TR_NOOP(
        "the anchor {anchor} names an entry that is gone: entries from {seq} on were removed"
    ),
    QT_TR_NOOP(
        "entry {seq} no longer has the anchor's hash: the chain up to it was rewritten "
        "and recomputed"
    ),
    QT_TR_NOOP("row change {number} is missing"),
    QT_TR_NOOP("its link to the previous row change was altered"),
    QT_TR_NOOP(
        "its content was altered ({operation} {table_name} {row_key} by {db_user}, {at} UTC)"
    ),
    QT_TR_NOOP("only an intact chain is a checkpoint"),
    QT_TR_NOOP("1-{limit} characters without spaces"),
    QT_TR_NOOP("must be more than 0"),
    QT_TR_NOOP("{number} exists already"),
    QT_TR_NOOP("no vendor {vendor_code}"),
    QT_TR_NOOP("stock of {part_number} in {bin_code}"),
    QT_TR_NOOP("issue"),
    QT_TR_NOOP("only {used} of {part_number} were issued to {wo_number}; cannot return {quantity}"),
    QT_TR_NOOP("give the unit cost, or the purchase order"),
    QT_TR_NOOP("must be a number, not negative"),
    QT_TR_NOOP("required (e.g. stock count, damaged, found)"),
    QT_TR_NOOP("must be a number, at least {smallest} up or down"),
    QT_TR_NOOP("adjust"),
    QT_TR_NOOP("must differ from the bin moved out of"),
    QT_TR_NOOP("transfer"),
    QT_TR_NOOP("{number} is {status}: its parts list is final"),
    QT_TR_NOOP("{part}: {missing} missing and no vendor set"),
    QT_TR_NOOP("was to start on {day}"),
    QT_TR_NOOP("starts within a day"),
    QT_TR_NOOP("starts in {days} days"),
    QT_TR_NOOP("{part}: {missing} missing; {name} needs {lead_time_days} days but {number} {when}"),
    QT_TR_NOOP("no part {part}"),
    QT_TR_NOOP("0 to 365 days"),
    QT_TR_NOOP("required, at most 16 characters (e.g. each, m, l, kg)"),
    QT_TR_NOOP("must be at least the minimum (or 0 to use the reorder quantity)"),
    QT_TR_NOOP("must be a number, at least {smallest}"),
    QT_TR_NOOP("{number} is not approved yet"),
    QT_TR_NOOP("{number} is {status}: no more parts can be booked on it"),
    QT_TR_NOOP("no bin {bin_code}"),
    QT_TR_NOOP("no purchase order {po_number}"),
    QT_TR_NOOP("{po_number} is {status}; only sent orders are received"),
    QT_TR_NOOP("{po_number} has no line {line_no}"),
    QT_TR_NOOP("{number} is not on {where} of {po_number}"),
    QT_TR_NOOP("only {outstanding} of {quantity} still to receive on {po_number} line {line_no}"),
    QT_TR_NOOP("too long"),
    QT_TR_NOOP("{on_hand} {unit} still on hand; issue or adjust first"),
    QT_TR_NOOP("no store room {store_room}"),
    QT_TR_NOOP("no {what} {value}"),
    QT_TR_NOOP("must be a number more than 0"),
    QT_TR_NOOP("{part_number} already has open requisition {open_line}"),
    QT_TR_NOOP("no requisition {requisition_id}"),
    QT_TR_NOOP("{requisition_id} is {status}; only open ones"),
    QT_TR_NOOP("not open for {vendor_code}: {missing}"),
    QT_TR_NOOP("{po_number} is {status}; only drafts change"),
    QT_TR_NOOP("{po_number} is {status}, which can move to {allowed}"),
    QT_TR_NOOP("{po_number} has no lines to send"),
    QT_TR_NOOP("no bin {code}"),
    QT_TR_NOOP(
        "cannot read the database URL {url}: write e.g. "
        "sqlite:////path/wrenchbook.sqlite3 or "
        "postgresql+psycopg://user:password@host/dbname"
    ),
    QT_TR_NOOP("in-memory SQLite is not supported: give a file path"),
    QT_TR_NOOP("unsupported database {drivername}: use sqlite or postgresql+psycopg"),
    QT_TR_NOOP("connect_timeout {given} is not a whole number of seconds"),
    QT_TR_NOOP("connect_timeout must be at least 1 second, not {seconds}"),
    QT_TR_NOOP("text must not contain NUL characters (\\x00): remove them and save again"),
    QT_TR_NOOP("the database cannot store a value as given ({reason}): correct it"),
    QT_TR_NOOP("integers beyond 64 bits"),
    QT_TR_NOOP(
        "SQLite's file locking is unreliable over SMB/NFS network shares and the "
        "database file can be corrupted when several computers use it. Keep the SQLite "
        "file on a local disk of this computer, or connect every workstation to the "
        "site's PostgreSQL server."
    ),
    QT_TR_NOOP("{path} is on a network share (a UNC path). {advice}"),
    QT_TR_NOOP("{path} is on the mapped network drive {drive}:. {advice}"),
    QT_TR_NOOP("{path} is on the {fs_type} network mount {point} ({source}). {advice}"),
    QT_TR_NOOP("naive datetime {value}: pass an aware datetime"),
)
