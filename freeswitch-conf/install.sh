#!/usr/bin/env bash
# Install the PBX FreeSWITCH configuration (FreeSWITCH 1.10 / 1.11).
#
# Copies this tree to DEST (default /etc/freeswitch) and writes DEST/secrets.xml
# with the xml_curl endpoint, its HTTP basic credentials and the event socket
# password. Passwords are read from files and never printed nor passed as
# command arguments.
#
# The new tree is staged next to DEST and swapped in whole: an existing DEST is
# kept as DEST.bak-TIMESTAMP. Files left over from another configuration (the
# vanilla sample's extra SIP profiles, users with default passwords...) would
# otherwise still be picked up by the include globs of freeswitch.xml.
set -euo pipefail

readonly PROG=${0##*/}
readonly SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# What FreeSWITCH loads; README.md, this script and the example stay behind.
readonly TREE=(freeswitch.xml vars.xml autoload_configs sip_profiles dialplan lang)

usage() {
	cat <<EOF
Usage: $PROG [--dest /etc/freeswitch] --url http://ctrl:8080/freeswitch/xml
       ${PROG//?/ } --user freeswitch --password-file FILE --esl-password-file FILE
       ${PROG//?/ } [--cdr-url http://ctrl:8080/freeswitch/cdr] [--force]

  --dest DIR                configuration directory of FreeSWITCH (default /etc/freeswitch)
  --url URL                 control plane endpoint for mod_xml_curl (POST /freeswitch/xml)
  --cdr-url URL             control plane endpoint for mod_xml_cdr call records
                            (default: --url with its last segment replaced by "cdr")
  --user NAME               HTTP basic user (PBX_XML_CURL_USER on the control plane)
  --password-file FILE      file whose first line is the HTTP basic password
                            (PBX_XML_CURL_PASSWORD on the control plane)
  --esl-password-file FILE  file whose first line is the event socket password
                            (PBX_ESL_PASSWORD on the control plane)
  --force                   replace an existing DEST/secrets.xml
  -h, --help                show this help

Generate a password file with: (umask 077; openssl rand -hex 32 > FILE)
EOF
}

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}

# Values end up verbatim inside XML attributes and pre-processor directives:
# no quote, ampersand, angle bracket, dollar or blank may get through.
readonly SECRET_RE='^[A-Za-z0-9._~+=/-]{16,256}$'
readonly USER_RE='^[A-Za-z0-9._-]{1,64}$'
readonly URL_RE='^https?://[A-Za-z0-9._~:/@%+=-]+$'

# read_secret FILE LABEL: prints the first line of FILE, checked; never echoes it on error.
read_secret() {
	local file=$1 label=$2 value=''
	[[ -f $file && -r $file ]] || die "$label: cannot read file $file"
	IFS= read -r value <"$file" || [[ -n $value ]] || die "$label: $file is empty"
	value=${value%$'\r'}
	[[ $value =~ $SECRET_RE ]] ||
		die "$label in $file: need 16 to 256 characters among letters, digits and . _ ~ + = / -"
	if [[ $(stat -c %a "$file" 2>/dev/null || echo 600) =~ [1-7]$ ]]; then
		printf '%s: warning: other users have access to %s (chmod 600 it)\n' "$PROG" "$file" >&2
	fi
	printf '%s' "$value"
}

need_value() {
	[[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

main() {
	local dest=/etc/freeswitch url='' cdr_url='' user='' password_file='' esl_password_file='' force=0
	while [[ $# -gt 0 ]]; do
		case $1 in
		--dest) need_value "$@"; dest=$2; shift 2 ;;
		--url) need_value "$@"; url=$2; shift 2 ;;
		--cdr-url) need_value "$@"; cdr_url=$2; shift 2 ;;
		--user) need_value "$@"; user=$2; shift 2 ;;
		--password-file) need_value "$@"; password_file=$2; shift 2 ;;
		--esl-password-file) need_value "$@"; esl_password_file=$2; shift 2 ;;
		--force) force=1; shift ;;
		-h | --help) usage; exit 0 ;;
		*) usage >&2; die "unknown argument: $1" ;;
		esac
	done

	[[ -n $url && -n $user && -n $password_file && -n $esl_password_file ]] || {
		usage >&2
		die "--url, --user, --password-file and --esl-password-file are required"
	}
	[[ $url =~ $URL_RE ]] || die "--url must be http(s)://host[:port]/path without quotes, blanks or & < > \$"
	cdr_url=${cdr_url:-${url%/*}/cdr}
	[[ $cdr_url =~ $URL_RE ]] || die "--cdr-url must be http(s)://host[:port]/path without quotes, blanks or & < > \$"
	[[ $user =~ $USER_RE ]] || die "--user may only use letters, digits and . _ -"

	local password esl_password
	password=$(read_secret "$password_file" "--password-file")
	esl_password=$(read_secret "$esl_password_file" "--esl-password-file")

	dest=${dest%/}
	[[ -n $dest && $dest != / ]] || die "--dest must not be /"
	if [[ -e $dest/secrets.xml && $force -ne 1 ]]; then
		die "$dest/secrets.xml already exists; re-run with --force to replace it"
	fi

	local parent stage
	parent=$(dirname "$dest")
	mkdir -p "$parent"
	stage=$(mktemp -d "$parent/.$(basename "$dest").new.XXXXXX")
	# shellcheck disable=SC2064  # expand now: stage is local
	trap "rm -rf -- '$stage'" EXIT

	local item
	for item in "${TREE[@]}"; do
		cp -R -- "$SRC_DIR/$item" "$stage/"
	done
	chmod -R u=rwX,go=rX "$stage"

	write_secrets "$stage/secrets.xml" "$url" "$user" "$password" "$esl_password" "$cdr_url"

	local backup=''
	if [[ -e $dest ]]; then
		backup=$dest.bak-$(date +%Y%m%d%H%M%S)
		mv -- "$dest" "$backup"
	fi
	mv -- "$stage" "$dest"
	trap - EXIT

	print_next_steps "$dest" "$backup" "$user"
}

# write_secrets FILE URL USER PASSWORD ESL_PASSWORD CDR_URL: printf is a shell builtin,
# so the passwords never show in a process list.
write_secrets() {
	local file=$1
	(
		umask 077
		{
			printf '<include>\n'
			printf '  <!-- Written by install.sh on %s. Secret: keep mode 0640, never commit. -->\n' \
				"$(date -u +%Y-%m-%dT%H:%M:%SZ)"
			printf '  <X-PRE-PROCESS cmd="set" data="pbx_xml_curl_url=%s"/>\n' "$2"
			printf '  <X-PRE-PROCESS cmd="set" data="pbx_xml_curl_user=%s"/>\n' "$3"
			printf '  <X-PRE-PROCESS cmd="set" data="pbx_xml_curl_password=%s"/>\n' "$4"
			printf '  <X-PRE-PROCESS cmd="set" data="pbx_esl_password=%s"/>\n' "$5"
			printf '  <X-PRE-PROCESS cmd="set" data="pbx_xml_cdr_url=%s"/>\n' "$6"
			printf '</include>\n'
		} >"$file"
	)
	chmod 0640 "$file"
	if id freeswitch >/dev/null 2>&1; then
		if [[ $(id -u) -eq 0 ]]; then
			chown freeswitch: "$file"
		else
			printf '%s: warning: not root, %s is not owned by freeswitch; run: chown freeswitch: %s\n' \
				"$PROG" "$file" "$file" >&2
		fi
	fi
}

print_next_steps() {
	local dest=$1 backup=$2 user=$3
	printf 'Installed the PBX FreeSWITCH configuration in %s\n' "$dest"
	[[ -z $backup ]] || printf 'The previous configuration was moved to %s (it may hold secrets: delete it when done).\n' "$backup"
	cat <<EOF

Next steps:
  1. On the control plane, use the same values:
       PBX_XML_CURL_USER=$user
       PBX_XML_CURL_PASSWORD=<first line of the --password-file>
       PBX_ESL_PASSWORD=<first line of the --esl-password-file>
       PBX_FREESWITCH_NODES=fs1=127.0.0.1:8021
  2. Add your carriers' addresses to the "carriers" list of
     $dest/autoload_configs/acl.conf.xml (until then carrier calls get 403).
  3. Restart FreeSWITCH: modules, the event socket and the SIP profiles are
     only read at start:
       systemctl restart freeswitch
     Later, for changes to the dialplan fallback, phrases, ACLs or time zones:
       fs_cli -x reloadxml        (and fs_cli -x reloadacl for acl.conf.xml)
     fs_cli needs the event socket password: put it in ~/.fs_cli_conf (see README.md).
  4. Check:
       fs_cli -x "xml_curl debug_on"    then watch the requests in the log
       fs_cli -x "sofia status"         profiles internal and external RUNNING
EOF
}

main "$@"
