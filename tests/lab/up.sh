#!/usr/bin/env bash
# Brings the mail lab up inside its own network namespace. Nothing listens
# outside it but one loopback forwarder to Roundcube (127.0.0.1:$LAB_WEB_PORT).
#   tests/lab/up.sh        (tests/lab/down.sh undoes all of it)
#
#   webmail.lab     198.51.100.1  Roundcube on PHP's built-in server (:8080)
#   mail.sender.lab 198.51.100.2  Postfix: the sender's server, submission :587 (STARTTLS + SASL required)
#   relay.isp.lab   198.51.100.3  Postfix: an ISP relay
#   mx.rcpt.lab     198.51.100.4  Postfix: the recipient's MX, virtual mailboxes, LMTP to Dovecot
#   imap.rcpt.lab   198.51.100.5  Dovecot: IMAP :143, LMTP :24, auth :12345
#   exim.isp.lab    198.51.100.6  Exim (GnuTLS): another relay
#   gw.isp.lab      198.51.100.7  STARTTLS-stripping proxy in front of relay.isp.lab
#   dns.lab         198.51.100.53 dnsmasq for all of these names
#
# Routes, chosen by recipient at the sender (every address is Alice's mailbox):
#   alice@ / alice-tls13@rcpt.lab   sender → relay (TLS 1.3) → mx
#   alice-tls12@rcpt.lab            sender → relay (TLS 1.2 at most) → mx
#   alice-plain@rcpt.lab            sender → relay without TLS → mx
#   alice-stripped@rcpt.lab         sender → gw (drops STARTTLS from EHLO) → relay → mx
#   alice-exim@rcpt.lab             sender → exim → mx
#
# Zero access (mail sealed on arrival by `sealmark seal-inbound`, README "Zero-access mailbox"):
#   zoe@rcpt.lab        sender → relay → mx → LMTP; Dovecot's Sieve filter seals it to the
#                       certificates in Zoe's home, ~/sealmark/inbound.asc (Alice has none: plaintext)
#   zoe+pipe@rcpt.lab   sender → relay → mx; Postfix's pipe transport seals it to
#                       zero-access/certs/zoe@rcpt.lab.asc and hands it to Dovecot's LDA
#                       (a sealing failure defers it: Postfix retries, nothing is stored)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=tests/lab/lab.env
source tests/lab/lab.env
LAB_RUN=$ROOT/$LAB_RUN
LAB_OPT=$ROOT/$LAB_OPT

if ip netns list | grep -qw "$LAB_NS"; then
  echo "lab: already up (tests/lab/down.sh first)" >&2
  exit 1
fi
rm -rf "$LAB_RUN"
mkdir -p "$LAB_RUN"/{tls,log,pid}
LOG=$LAB_RUN/log

# A failed start leaves nothing behind.
trap 'status=$?; if ((status)); then echo "lab: start failed, tearing down" >&2; tests/lab/down.sh >/dev/null 2>&1 || true; fi' EXIT

ip netns add "$LAB_NS"
in_lab() { ip netns exec "$LAB_NS" "$@"; }
in_lab ip link set lo up
# Each lab host has its own address, on the namespace's own loopback device.
for ip in "$IP_WEB" "$IP_SENDER" "$IP_RELAY" "$IP_MX" "$IP_IMAP" "$IP_EXIM" "$IP_GW" "$IP_DNS"; do
  in_lab ip addr add "$ip/32" dev lo
done
mkdir -p "/etc/netns/$LAB_NS"
echo "nameserver $IP_DNS" >"/etc/netns/$LAB_NS/resolv.conf"

# --- names -----------------------------------------------------------------
cat >"$LAB_RUN/hosts" <<EOF
$IP_WEB webmail.lab
$IP_SENDER mail.sender.lab
$IP_RELAY relay.isp.lab
$IP_MX mx.rcpt.lab
$IP_IMAP imap.rcpt.lab
$IP_EXIM exim.isp.lab
$IP_GW gw.isp.lab
$IP_DNS dns.lab
EOF
in_lab dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --addn-hosts="$LAB_RUN/hosts" \
  --listen-address="$IP_DNS" --bind-interfaces --port=53 \
  --mx-host=rcpt.lab,mx.rcpt.lab,10 --mx-host=sender.lab,mail.sender.lab,10 --mx-host=isp.lab,relay.isp.lab,10 \
  --pid-file="$LAB_RUN/pid/dnsmasq.pid" --log-facility="$LOG/dnsmasq.log"

# --- certificates: a lab CA and one certificate per host ---------------------
TLS=$LAB_RUN/tls
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=Sealmark lab CA" \
  -keyout "$TLS/ca.key" -out "$TLS/ca.crt" 2>/dev/null
for host in webmail.lab mail.sender.lab relay.isp.lab mx.rcpt.lab imap.rcpt.lab exim.isp.lab; do
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$host" \
    -keyout "$TLS/$host.key" -out "$TLS/$host.csr" 2>/dev/null
  openssl x509 -req -in "$TLS/$host.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$host") \
    -out "$TLS/$host.crt" 2>/dev/null
done
chmod 644 "$TLS"/*.key # the lab's throw-away keys; Exim and Dovecot read them after dropping root

# --- zero access: the filter both delivery paths run -------------------------
# The binary is copied: a rebuild while the lab is up changes nothing under it.
ZA=$LAB_RUN/zero-access
SEALMARK=$ROOT/target/release/sealmark
[[ -x $SEALMARK ]] || { echo "lab: $SEALMARK is missing: build the CLI first (./build.sh)" >&2; exit 1; }
mkdir -p "$ZA/bin" "$ZA/sieve-bin" "$ZA/sieve" "$ZA/certs"
cp "$SEALMARK" "$ZA/bin/sealmark"
# Dovecot's Sieve filter: the user's own certificates, if they gave any; else the message as it came.
cat >"$ZA/sieve-bin/sealmark-seal" <<EOF
#!/bin/sh
exec $ZA/bin/sealmark seal-inbound --pass-without-cert --to "\$HOME/sealmark/inbound.asc"
EOF
cat >"$ZA/sieve/zero-access.sieve" <<'EOF'
require ["vnd.dovecot.filter"];
filter "sealmark-seal";
EOF
# Postfix's pipe: sealed into a file first, so a failure delivers nothing and
# exits 75 (EX_TEMPFAIL): Postfix keeps the message queued and retries. Only
# zero-access mailboxes are routed here, so a missing certificate is a failure.
cat >"$ZA/bin/seal-and-deliver" <<EOF
#!/bin/sh
# seal-and-deliver MAILBOX SENDER
tmp=\$(mktemp) || exit 75
trap 'rm -f "\$tmp"' EXIT
$ZA/bin/sealmark seal-inbound --to "$ZA/certs/\$1.asc" >"\$tmp" || exit 75
/usr/lib/dovecot/dovecot-lda -c $LAB_RUN/dovecot/dovecot.conf -d "\$1" -f "\$2" <"\$tmp"
EOF
chmod 755 "$ZA/bin/seal-and-deliver" "$ZA/sieve-bin/sealmark-seal"
chown -R mail:mail "$ZA/sieve" "$ZA/certs"

# --- Dovecot: IMAP, LMTP, and SASL for the sender's submission ----------------
DOVE=$LAB_RUN/dovecot
mkdir -p "$DOVE/base" "$DOVE/state" "$LAB_RUN/mail/rcpt.lab"
chown mail:mail "$LAB_RUN/mail" "$LAB_RUN/mail/rcpt.lab"
# The LDA runs as the mail user (Postfix's pipe): its log is that user's to write.
install -o mail -g mail -m 644 /dev/null "$LOG/dovecot-lda.log"
printf '%s:{PLAIN}%s\n' "$LAB_USER" "$LAB_PASSWORD" "$LAB_ZERO_USER" "$LAB_PASSWORD" >"$DOVE/users"
cat >"$DOVE/dovecot.conf" <<EOF
base_dir = $DOVE/base
state_dir = $DOVE/state
log_path = $LOG/dovecot.log
protocols = imap lmtp
hostname = imap.rcpt.lab
listen = $IP_IMAP
ssl = yes
ssl_cert = <$TLS/imap.rcpt.lab.crt
ssl_key = <$TLS/imap.rcpt.lab.key
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN $DOVE/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$LAB_RUN/mail/%d/%n
}
mail_location = maildir:~/Maildir
first_valid_uid = 8
first_valid_gid = 8
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = $IP_IMAP
    port = 24
  }
}
service auth {
  inet_listener sasl {
    address = $IP_IMAP
    port = 12345
  }
}
protocol lmtp {
  postmaster_address = postmaster@rcpt.lab
  mail_plugins = \$mail_plugins sieve
}
# The LDA (Postfix's pipe, as the mail user) reports to the stats service too.
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol lda {
  postmaster_address = postmaster@rcpt.lab
  log_path = $LOG/dovecot-lda.log
}
# Every delivery over LMTP runs the zero-access filter before any script of the user's.
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_before = $ZA/sieve/zero-access.sieve
  sieve_plugins = sieve_extprograms
  sieve_global_extensions = +vnd.dovecot.filter
  sieve_filter_bin_dir = $ZA/sieve-bin
}
EOF
in_lab dovecot -c "$DOVE/dovecot.conf"

# --- Postfix: three instances ------------------------------------------------
postfix_instance() { # name host ip main.cf-additions master.cf-additions
  local name=$1 host=$2 ip=$3 dir=$LAB_RUN/postfix-$1
  mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
  chown postfix "$dir/data"
  cat >"$dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = $host
mydomain = ${host#*.}
myorigin = \$myhostname
inet_interfaces = $ip
inet_protocols = ipv4
smtp_bind_address = $ip
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
maillog_file_prefixes = $LOG
maillog_file = $LOG/postfix-$name.log
smtpd_banner = \$myhostname ESMTP
smtpd_tls_cert_file = $TLS/$host.crt
smtpd_tls_key_file = $TLS/$host.key
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
smtpd_tls_loglevel = 1
smtp_tls_security_level = may
smtp_tls_CAfile = $TLS/ca.crt
smtp_tls_loglevel = 1
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
EOF
  printf '%s\n' "$4" >>"$dir/etc/main.cf"
  cat >"$dir/etc/master.cf" <<'EOF'
smtp      inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  printf '%s\n' "$5" >>"$dir/etc/master.cf"
  in_lab postfix -c "$dir/etc" check
  in_lab postfix -c "$dir/etc" start 2>>"$LOG/postfix-$name.start"
}

mkdir -p "$LAB_RUN/postfix-sender/etc"
cat >"$LAB_RUN/postfix-sender/etc/transport" <<EOF
alice-tls12@rcpt.lab smtp12:[relay.isp.lab]:25
alice-plain@rcpt.lab smtpplain:[relay.isp.lab]:25
alice-stripped@rcpt.lab smtp:[gw.isp.lab]:25
alice-exim@rcpt.lab smtp:[exim.isp.lab]:25
rcpt.lab smtp:[relay.isp.lab]:25
EOF
postfix_instance sender mail.sender.lab "$IP_SENDER" \
  "transport_maps = texthash:$LAB_RUN/postfix-sender/etc/transport" \
  "submission inet n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sasl_type=dovecot
  -o smtpd_sasl_path=inet:$IP_IMAP:12345
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
smtp12    unix  -       -       n       -       -       smtp
  -o smtp_tls_protocols=!SSLv2,!SSLv3,!TLSv1,!TLSv1.1,!TLSv1.3
smtpplain unix  -       -       n       -       -       smtp
  -o smtp_tls_security_level=none"

postfix_instance relay relay.isp.lab "$IP_RELAY" \
  "relay_domains = rcpt.lab
transport_maps = inline:{ rcpt.lab=smtp:[mx.rcpt.lab]:25 }" ""

mkdir -p "$LAB_RUN/postfix-mx/etc"
printf '%s OK\n' "$LAB_USER" "$LAB_ZERO_USER" >"$LAB_RUN/postfix-mx/etc/mailboxes"
for route in tls13 tls12 plain stripped exim; do echo "alice-$route@rcpt.lab $LAB_USER"; done >"$LAB_RUN/postfix-mx/etc/aliases"
postfix_instance mx mx.rcpt.lab "$IP_MX" \
  "virtual_mailbox_domains = rcpt.lab
virtual_mailbox_maps = texthash:$LAB_RUN/postfix-mx/etc/mailboxes
virtual_alias_maps = texthash:$LAB_RUN/postfix-mx/etc/aliases
virtual_transport = lmtp:inet:$IP_IMAP:24
lmtp_bind_address = $IP_MX
recipient_delimiter = +
# One recipient per LMTP transaction, as the README advises: each recipient's
# filter sees the message as it came, whatever Dovecot does with several.
lmtp_destination_recipient_limit = 1
transport_maps = inline:{ ${LAB_ZERO_USER/@/+pipe@}=sealmark: }
sealmark_destination_recipient_limit = 1" \
  "sealmark  unix  -       n       n       -       -       pipe
  flags=DRhqu user=mail argv=$ZA/bin/seal-and-deliver \${user}@\${domain} \${sender}"

# --- Exim: a relay of another make, unpacked beside the project ---------------
EXIM=$LAB_RUN/exim
mkdir -p "$EXIM/spool" "$EXIM/log"
chown Debian-exim: "$EXIM/spool" "$EXIM/log"
cat >"$EXIM/exim.conf" <<EOF
primary_hostname = exim.isp.lab
exim_path = $LAB_OPT/exim/usr/sbin/exim4
spool_directory = $EXIM/spool
log_file_path = $EXIM/log/%slog
keep_environment =
pid_file_path = $LAB_RUN/pid/exim.pid
local_interfaces = $IP_EXIM
daemon_smtp_ports = 25
domainlist relay_to_domains = rcpt.lab
hostlist relay_from_hosts = 198.51.100.0/24
acl_smtp_rcpt = acl_check_rcpt
host_lookup = *
rfc1413_hosts =
tls_advertise_hosts = *
tls_certificate = $TLS/exim.isp.lab.crt
tls_privatekey = $TLS/exim.isp.lab.key
log_selector = +tls_cipher +tls_peerdn +received_recipients +incoming_interface +outgoing_interface

begin acl
acl_check_rcpt:
  accept hosts = +relay_from_hosts
         domains = +relay_to_domains
  deny   message = relay not permitted

begin routers
to_mx:
  driver = manualroute
  domains = +relay_to_domains
  route_list = * mx.rcpt.lab byname
  transport = remote_smtp

begin transports
remote_smtp:
  driver = smtp
  interface = $IP_EXIM
  tls_verify_certificates = $TLS/ca.crt

begin retry
* * F,1h,10s
EOF
in_lab "$LAB_OPT/exim/usr/sbin/exim4" -C "$EXIM/exim.conf" -bd -q10s

# --- the STARTTLS-stripping proxy ---------------------------------------------
in_lab python3 tests/lab/strip_proxy.py --listen "$IP_GW:25" --upstream "$IP_RELAY:25" --log "$LOG/strip-proxy.log" \
  >>"$LOG/strip-proxy.out" 2>&1 &
echo $! >"$LAB_RUN/pid/strip-proxy.pid"

# --- Roundcube ------------------------------------------------------------------
RC=$LAB_RUN/roundcube
mkdir -p "$RC/config" "$RC/temp" "$RC/logs"
# Roundcube reads its defaults from the same directory as the lab's settings.
ln -s /etc/roundcube/defaults.inc.php /etc/roundcube/mimetypes.php "$RC/config/"
cat >"$RC/config/config.inc.php" <<EOF
<?php
\$config = [];
\$config['db_dsnw'] = 'sqlite:///$RC/roundcube.db?mode=0640';
\$config['imap_host'] = 'tls://imap.rcpt.lab:143';
\$config['smtp_host'] = 'tls://mail.sender.lab:587';
\$config['smtp_user'] = '%u';
\$config['smtp_pass'] = '%p';
// Roundcube's connections come from webmail.lab's own address, as from a separate machine.
\$config['imap_conn_options'] = ['ssl' => ['cafile' => '$TLS/ca.crt', 'peer_name' => 'imap.rcpt.lab'], 'socket' => ['bindto' => '$IP_WEB:0']];
\$config['smtp_conn_options'] = ['ssl' => ['cafile' => '$TLS/ca.crt', 'peer_name' => 'mail.sender.lab'], 'socket' => ['bindto' => '$IP_WEB:0']];
\$config['username_domain'] = 'rcpt.lab';
\$config['mail_domain'] = 'rcpt.lab';
\$config['des_key'] = '$(openssl rand -hex 12)';
\$config['temp_dir'] = '$RC/temp/';
\$config['log_dir'] = '$RC/logs/';
\$config['plugins'] = [];
// Both skins users meet: Elastic by default, Larry for a browser holding the
// lab's cookie lab_skin=larry (no user preference is ever saved in the lab).
\$config['skin'] = (\$_COOKIE['lab_skin'] ?? '') === 'larry' ? 'larry' : 'elastic';
\$config['product_name'] = 'Sealmark lab';
\$config['http_received_header'] = true;
\$config['enable_installer'] = false;
\$config['support_url'] = '';
EOF
(cd /var/lib/roundcube/public_html &&
  exec env ROUNDCUBE_CONFIG_DIR="$RC/config" ip netns exec "$LAB_NS" php -S "$IP_WEB:8080" -t . >>"$LOG/roundcube.out" 2>&1) &
echo $! >"$LAB_RUN/pid/roundcube.pid"

# --- one door from the host's loopback to Roundcube ---------------------------
python3 tests/lab/forward.py --listen "127.0.0.1:$LAB_WEB_PORT" --netns "$LAB_NS" --upstream "$IP_WEB:8080" \
  >>"$LOG/forward.out" 2>&1 &
echo $! >"$LAB_RUN/pid/forward.pid"

# Up when every service answers (at most 2 minutes: a busy machine starts them slowly).
deadline=$((SECONDS + 120))
while ((SECONDS < deadline)); do
  if in_lab python3 tests/lab/wait_ports.py "$IP_SENDER:587" "$IP_RELAY:25" "$IP_MX:25" "$IP_IMAP:143" "$IP_IMAP:24" \
    "$IP_EXIM:25" "$IP_GW:25" "$IP_WEB:8080" && python3 tests/lab/wait_ports.py "127.0.0.1:$LAB_WEB_PORT"; then
    echo "lab: up — Roundcube at http://127.0.0.1:$LAB_WEB_PORT/  user $LAB_USER  password $LAB_PASSWORD"
    exit 0
  fi
  sleep 0.2
done
echo "lab: services did not come up; logs in $LOG" >&2
exit 1
