#!/usr/bin/env bash
# Installs the mail lab's programs from Debian, without starting or enabling
# any system service: Postfix, Dovecot (IMAP, LMTP, Sieve), Roundcube (Elastic and Larry skins) with SQLite on
# PHP's built-in server, dnsmasq, openssl, and Exim unpacked beside the project
# (exim4 conflicts with postfix as Debian's MTA).   tests/lab/install.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
LAB_OPT=target/lab/opt

missing=()
for pkg in postfix dovecot-imapd dovecot-lmtpd dovecot-sieve roundcube-core roundcube-skin-larry roundcube-sqlite3 php8.2-cgi php8.2-sqlite3 \
  dnsmasq-base openssl python3 iproute2 libidn12; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "lab: installing ${missing[*]}"
  # Answers the install questions up front; the lab configures everything itself.
  debconf-set-selections <<'SEL'
postfix postfix/main_mailer_type select No configuration
roundcube-core roundcube/dbconfig-install boolean false
roundcube-core roundcube/reconfigure-webserver multiselect
SEL
  # Services stay stopped: invoke-rc.d asks policy-rc.d, and 101 means "not now".
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [[ -e $policy ]] && had_policy=1
  if ((!had_policy)); then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  ((had_policy)) || { rm -f "$policy"; trap - EXIT; }
fi

# The user Exim's Debian build drops to (its package would have made it).
getent passwd Debian-exim >/dev/null ||
  useradd --system --no-create-home --home-dir /var/spool/exim4 --shell /usr/sbin/nologin Debian-exim

if [[ ! -x $LAB_OPT/exim/usr/sbin/exim4 ]]; then
  echo "lab: unpacking Exim into $LAB_OPT/exim"
  mkdir -p "$LAB_OPT/debs"
  (cd "$LAB_OPT/debs" && apt-get download -q exim4-daemon-light exim4-base >/dev/null 2>&1)
  for deb in "$LAB_OPT"/debs/*.deb; do dpkg -x "$deb" "$LAB_OPT/exim"; done
  # Libraries Exim links that Postfix and Dovecot did not already bring.
  need=$(ldd "$LAB_OPT/exim/usr/sbin/exim4" | awk '/not found/ {print $1}')
  if [[ -n $need ]]; then
    echo "lab: Exim needs $need" >&2
    exit 1
  fi
fi
echo "lab: installed"
