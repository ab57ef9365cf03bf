import { COMMAND_SUMMARIES, SERVE_COMMAND } from '../argv/command-names.js';

/** `fleetca serve --help`: the options, their defaults and what each changes. */
export const SERVE_HELP = `NAME
       ${SERVE_COMMAND} - ${COMMAND_SUMMARIES[SERVE_COMMAND]}

SYNOPSIS
       fleetca serve [--host HOST] [--port PORT] [--tls] [--tls-hostname NAMES]
                     [--regions REGIONS] [--dev-accept-any-credentials]
                     [--key-pool-size N] [--keygen-engine ENGINE]
                     [--keygen-threads N] [--store URL] [--log-level LEVEL]
                     [--mqtt-port PORT] [--mqtt-host HOST]
                     [--mqtt-hostname NAMES] [--mqtt-refusal MODE] [--no-mqtt]
                     [--data-endpoint HOST] [--public-base-url URL]
                     [--cluster URL[,URL...]] [--cluster-name NAME]
                     [--no-console] [--console-dir DIR]
                     [--handshake-timeout-ms MS] [--first-request-timeout-ms MS]
                     [--keep-alive-timeout-ms MS] [--max-connections N]
                     [--max-pending-connections N] [--max-pending-per-address N]

DESCRIPTION
       Serves AWS IoT's certificate operations over HTTP (rest-json, SigV4),
       so the AWS CLI and SDKs work against fleetca with --endpoint-url, and
       devices over MQTT with TLS client certificates (only ACTIVE
       certificates are admitted; the fleet-provisioning topics are served).
       Serves the web console at /console/ on the same port. Prints the URLs
       it listens on, logs one JSON line per request to stderr, and stops
       gracefully on SIGTERM or SIGINT.

OPTIONS
       --host (string) Address to listen on. Default: 127.0.0.1.

       --port (integer) Port to listen on; 0 picks a free one. Default: 8080.

       --tls (boolean) Serve HTTPS with a server certificate issued by
       fleetca's own CA (key kept in memory only). Clients trust it with
       the chain from "fleetca ca export", e.g. aws --ca-bundle.

       --tls-hostname (string) Comma-separated DNS names and IP addresses
       for the server certificate. Default: localhost, 127.0.0.1 and --host.

       --regions (string) Comma-separated regions served; requests signed
       for another region are refused. Each must be an AWS region or one of
       the data directory's private regions (privateRegions in config.json,
       FLEETCA_PRIVATE_REGIONS). Default: all of those.

       --dev-accept-any-credentials (boolean) Development only: accept every
       request whatever its credentials and signature.

       --key-pool-size (integer) RSA key pairs kept ready in memory (never
       on disk) for CreateKeysAndCertificate, made by otherwise idle key
       threads; 0 turns the pool off. Default: keygen.poolSize in
       config.json, else 256.

       --keygen-engine (string) fips186-5 (fleetca's FIPS 186-5 generator)
       or openssl (Node's stock generator). Default: keygen.engine in
       config.json, else fips186-5.

       --keygen-threads (integer) Worker threads generating keys. Default:
       keygen.threads in config.json, else one per core.

       --store (string) The registry: postgres://user@host:5432/database
       (PostgreSQL; several servers on one database act as one service) or
       sqlite:FILE. Default: FLEETCA_STORE, else registry.db in the data
       directory. While PostgreSQL cannot be reached the server logs why
       and retries with back-off until it can.

       --log-level (string) fatal, error, warn, info, debug, trace or
       silent. Default: info.

       --mqtt-port (integer) Port of the device endpoint (MQTT over TLS, a
       client certificate required; ALPN x-amzn-mqtt-ca accepted); 0 picks
       a free one. Default: 8883.

       --mqtt-host (string) Address the device endpoint listens on.
       Default: --host.

       --mqtt-hostname (string) Comma-separated DNS names and IP addresses
       for the device endpoint's server certificate, issued by fleetca's CA.
       Default: localhost, 127.0.0.1 and --mqtt-host.

       --mqtt-refusal (string) How a refused device connection ends: close
       (closed without CONNACK, as AWS IoT does) or connack (debugging: a
       CONNACK "not authorized": return code 5, MQTT 5 reason 0x87).
       Default: close.

       --device-authorization (string) How devices are authorized: policies
       (AWS IoT's model: every connect, publish, subscribe and delivery is
       decided by the policies attached to the certificate; default deny)
       or permissive (development only: any ACTIVE certificate may use any
       topic of its account and region). Default: config.json's
       deviceAuthorization ("policies" in every new data directory;
       permissive, with a warning, in one made before policies).

       --no-mqtt (boolean) Do not serve devices.

       --data-endpoint (string) The host name DescribeEndpoint answers for
       iot:Data and iot:Data-ATS, so devices that discover their endpoint
       connect here (e.g. one of --mqtt-hostname). Default: AWS-shaped
       names.

       --public-base-url (string) The URL TLS terminators reach this server
       at, e.g. http://ca.example.com:8080. Certificates issued from then on
       carry a CRL Distribution Point (URL/_fleetca/crl/KEYID.crl) and an
       OCSP responder (URL/_fleetca/ocsp) under it. Overrides config.json's
       revocation.publicBaseUrl. Default: none (certificates carry neither,
       as AWS's do). The CRL and OCSP endpoints are served either way.

       --cluster (string) NATS servers (nats://host:port, comma-separated)
       through which several replicas route devices' messages, retained
       messages and client id takeovers. Overrides config.json's
       cluster.servers. tls://host:port requires TLS (config.json's
       cluster.tls names the CA and a client certificate); a user and
       password (nats://user:password@host:port) or a token
       (nats://token@host:port) authenticate, and are never logged.
       Default: none (a single replica).

       --cluster-name (string) Keeps this cluster apart from others on the
       same NATS (letters, digits, - and _). Overrides config.json's
       cluster.name. Default: fleetca.

       --no-console (boolean) Do not serve the web console (/console is
       then an unknown path, 404). Default: config.json's console (false
       turns it off), else the console is served.

       --console-dir (string) Serve the web console built in this directory
       (it must hold index.html) instead of the one built with fleetca.
       Its files are read once at start. Default: dist/console of this
       fleetca; without it /console answers 404 saying the console was not
       built.

   Hostile clients
       Both doors count every TCP connection from accept. Until it proves
       itself (REST: its first request; devices: an admitted CONNECT) a
       connection is pending, and has deadlines; when a limit is reached
       the oldest pending connection is closed to make room, so a flood of
       idle connections cannot lock out devices or API callers. Closings
       are logged (warn, at most one line per 10 s) and counted in
       fleetca_connection_guard_closed_total.

       --handshake-timeout-ms (integer) Time from TCP accept to the end of
       the TLS handshake (device door, REST with --tls). Default: 10000.

       --first-request-timeout-ms (integer) Time from TCP accept (plain
       REST) or the handshake to the first request / an admitted CONNECT.
       Default: 10000.

       --keep-alive-timeout-ms (integer) An idle REST keep-alive connection
       is closed after this. Default: 5000. (Idle device connections are
       held to their MQTT keep alive, at most 1200 s, times 1.5.)

       --max-connections (integer) Open connections of both doors
       together; when reached, a new one closes the oldest pending
       connection, or is refused if none is pending. Default: the open-file
       limit (ulimit -n) less a reserve of 5 % (at least 256, at most 4096).

       --max-pending-connections (integer) Pending connections of both
       doors together; a new one beyond it closes the oldest. Default: a
       quarter of --max-connections.

       --max-pending-per-address (integer) Pending connections from one
       source address; a new one beyond it closes that address's oldest.
       Established connections have no per-address limit (devices behind
       one NAT address). Default: an eighth of --max-pending-connections.
`;
