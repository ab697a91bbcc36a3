#!/usr/bin/env bash
# Replay the call records mod_xml_cdr could not deliver (its error folder) to the control plane.
#
# While the control plane is unreachable, FreeSWITCH retries each record (xml_cdr.conf.xml:
# retries, delay) and then writes it to <log dir>/xml_cdr/<uuid>.cdr.xml. A fax whose call
# ended meanwhile waits for that record (PBX_FAX_OUTCOME_WAIT_SECONDS) instead of being sent
# again. This script POSTs each file exactly as mod_xml_cdr does (cdr=<url-encoded XML>, same
# URL, same basic credentials, all read from secrets.xml; with encode=true the switch files the
# record already URL-encoded, a bare XML file is encoded here) and deletes it once the control
# plane answered 2xx; a record refused as malformed (400) is moved to rejected/ and reported.
# The control plane applies a record once, so replaying one twice is harmless. Run it on the
# switch host after an outage, or every few minutes from cron / a systemd timer; it exits 1
# while records remain (unreachable control plane), 2 when some were rejected.
# The password never appears on a command line: curl reads its config from a pipe.
set -euo pipefail

readonly PROG=${0##*/}

usage() {
	cat <<EOF
Usage: $PROG [--conf /etc/freeswitch] [--dir /var/log/freeswitch/xml_cdr]

  --conf DIR  FreeSWITCH configuration folder holding secrets.xml (install.sh wrote it)
  --dir DIR   mod_xml_cdr's error folder (err-log-dir; default <log dir>/xml_cdr)
EOF
}

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}

# secret NAME FILE: the value of <X-PRE-PROCESS cmd="set" data="NAME=value"/> in FILE.
secret() {
	sed -n "s/.*data=\"$1=\\([^\"]*\\)\".*/\\1/p" "$2" | head -n 1
}

# post FILE URL USER PASSWORD: the HTTP status of POSTing the record in FILE as cdr=...
# A record filed with encode=true is URL-encoded already (it starts with %3C, not "<"): it is
# sent as is after "cdr="; a bare XML record is encoded by curl.
post() {
	local options=(--silent --output /dev/null --write-out '%{http_code}' --max-time 30)
	if [[ $(head -c 1 -- "$1") == '<' ]]; then
		curl --config <(printf 'user = "%s:%s"\n' "$3" "$4") "${options[@]}" --data-urlencode "cdr@$1" "$2"
	else
		{ printf 'cdr='; cat -- "$1"; } |
			curl --config <(printf 'user = "%s:%s"\n' "$3" "$4") "${options[@]}" --data-binary @- "$2"
	fi
}

main() {
	local conf=/etc/freeswitch dir=/var/log/freeswitch/xml_cdr
	while [[ $# -gt 0 ]]; do
		case $1 in
		--conf) [[ $# -ge 2 ]] || die "--conf needs a value"; conf=$2; shift 2 ;;
		--dir) [[ $# -ge 2 ]] || die "--dir needs a value"; dir=$2; shift 2 ;;
		-h | --help) usage; exit 0 ;;
		*) usage >&2; die "unknown argument: $1" ;;
		esac
	done
	local secrets=$conf/secrets.xml url user password
	[[ -r $secrets ]] || die "cannot read $secrets"
	url=$(secret pbx_xml_cdr_url "$secrets")
	user=$(secret pbx_xml_curl_user "$secrets")
	password=$(secret pbx_xml_curl_password "$secrets")
	[[ -n $url && -n $user && -n $password ]] || die "$secrets lacks pbx_xml_cdr_url, pbx_xml_curl_user or pbx_xml_curl_password"
	[[ -d $dir ]] || { printf '%s: no folder %s: nothing to replay\n' "$PROG" "$dir"; exit 0; }

	local file name status sent=0 kept=0 rejected=0
	shopt -s nullglob
	for file in "$dir"/*.cdr.xml; do
		name=${file##*/}
		status=$(post "$file" "$url?uuid=${name%.cdr.xml}" "$user" "$password") || status=000
		case $status in
		2??) rm -f -- "$file"; sent=$((sent + 1)) ;;
		400) mkdir -p "$dir/rejected"; mv -- "$file" "$dir/rejected/"; rejected=$((rejected + 1))
			printf '%s: %s refused as malformed, moved to %s/rejected\n' "$PROG" "$name" "$dir" >&2 ;;
		*) kept=$((kept + 1)); printf '%s: %s not delivered (HTTP %s), kept\n' "$PROG" "$name" "$status" >&2 ;;
		esac
	done
	printf '%s: %d replayed, %d kept, %d rejected\n' "$PROG" "$sent" "$kept" "$rejected"
	[[ $kept -eq 0 ]] || exit 1
	[[ $rejected -eq 0 ]] || exit 2
}

main "$@"
