"""The safe fetcher refuses what it must, before any connection is opened.

Pages come from real HTTP servers on 127.0.0.1: `site` is exempted (FETCH_ALLOW_PRIVATE),
`outside` is not, so a fetch that reached it would be a hole. Public names use the
resolver stub of tests/resolver.py; the loopback-only guard stays installed throughout.
"""

import pytest

from sources.addresses import parse_allow_list
from sources.fetch import FetchError, Limits, fetch

from .support.httpserver import Reply, Site
from .support.resolver import FakeNet

PAGE = "<html><head><title>Page</title></head><body><p>Hello.</p></body></html>"
PUBLIC_IP = "93.184.215.14"  # stands for any public server; routed to a loopback one


@pytest.fixture
def limits(site):
    return Limits.from_settings(
        allow_private=parse_allow_list((site.authority,)),
        connect_timeout=2,
        read_timeout=2,
        deadline=4,
    )


@pytest.fixture
def outside():
    """A loopback server the fetcher was NOT told it may reach."""
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def net(monkeypatch):
    return FakeNet(monkeypatch)


def refused(url, limits, code="address_forbidden"):
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits)
    assert caught.value.code == code, caught.value.message
    assert not caught.value.temporary
    return caught.value


def test_page_from_an_exempted_server_is_fetched_with_our_user_agent(site, limits):
    url = site.add("page", Reply(PAGE))
    result = fetch(url, limits=limits)
    assert (result.status, result.content_type, result.body) == (200, "text/html", PAGE.encode())
    assert result.peer_ip == "127.0.0.1"
    assert site.hits(url)[0].headers["User-Agent"].startswith("ClaimWorkbench/")


def test_loopback_without_an_exemption_is_refused_without_connecting(outside, limits, net):
    url = outside.add("page", Reply(PAGE))
    error = refused(url, limits)
    assert "loopback" in error.message
    assert outside.connections == 0 and net.connects == []


LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "2130706433",  # decimal
    "0x7f000001",  # hex
    "017700000001",  # octal
    "0177.0.0.1",  # octal first part
    "0x7f.1",  # short hex
    "127.1",  # short forms
    "127.0.1",
    "127.255.255.254",
    "localhost",
    "0",  # 0.0.0.0 reaches the local machine on Linux
    "0.0.0.0",
    "[::1]",
    "[::]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
    "[::127.0.0.1]",  # IPv4-compatible
    "[64:ff9b::127.0.0.1]",  # NAT64
    "[2002:7f00:1::]",  # 6to4
]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_spelling_of_this_machine_is_refused(host, outside, limits, net):
    refused(f"http://{host}:{outside.port}/secret", limits)
    assert outside.connections == 0 and net.connects == []


FORBIDDEN_ADDRESSES = [
    "169.254.169.254",  # cloud metadata
    "[::ffff:169.254.169.254]",
    "[fd00:ec2::254]",  # AWS metadata over IPv6
    "100.100.100.200",  # Alibaba metadata (CGNAT range)
    "168.63.129.16",  # Azure WireServer: a public address, reachable from every Azure VM
    "161.26.0.10",  # IBM Cloud service network resolver (public range, private use)
    "192.0.0.192",  # Oracle metadata; Python calls it global
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",  # CGNAT
    "198.18.0.1",  # benchmarking
    "192.0.2.1",  # documentation
    "224.0.0.1",  # multicast; Python calls it global
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "[fe80::1]",  # link-local
    "[fec0::1]",  # site-local; Python calls it global
    "[fc00::1]",
    "[ff02::1]",
    "[2001:db8::1]",
    "[3fff::1]",
    "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
    "[2002:a9fe:a9fe::]",  # 6to4 of 169.254.169.254
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",  # Teredo
    "0xa9.0xfe.0xa9.0xfe",  # 169.254.169.254 in hex
    "2852039166",  # 169.254.169.254 in decimal
]


@pytest.mark.parametrize("host", FORBIDDEN_ADDRESSES)
def test_private_reserved_and_metadata_addresses_are_refused(host, limits, net):
    refused(f"http://{host}/latest/meta-data/", limits)
    assert net.connects == []


@pytest.mark.parametrize(
    "url, code",
    [
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("gopher://127.0.0.1:6379/_INFO", "scheme_not_allowed"),
        ("ftp://example.org/", "scheme_not_allowed"),
        ("http://user:secret@example.org/", "credentials_in_url"),
        ("http://user@example.org/", "credentials_in_url"),
        # urllib.parse and urllib3 disagree on this host: refused, whoever is right.
        ("http://127.0.0.1:6379\\@example.org/", "credentials_in_url"),
        ("http://example.org:99999/", "invalid_url"),
        ("http:///nohost", "invalid_url"),
        ("http://exa mple.org/", "invalid_url"),
    ],
)
def test_schemes_credentials_and_ambiguous_urls_are_refused(url, code, limits, net):
    refused(url, limits, code)
    assert net.connects == [] and net.lookups == []


def test_a_redirect_chain_is_followed(site, limits):
    final = site.add("final", Reply(PAGE))
    middle = site.add("middle", Reply(status=301, headers={"Location": final}))
    first = site.add("first", Reply(status=302, headers={"Location": middle.split(":", 1)[1]}))
    result = fetch(first, limits=limits)
    assert result.url == first and result.final_url == final
    assert result.redirects == [middle, final]


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://192.168.0.1/admin",
        "http://[::ffff:10.0.0.1]/",
        "http://internal.example/",  # resolves to a private address
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused_without_connecting(target, site, limits, net):
    net.resolve("internal.example", "10.20.30.40")
    url = site.add("to-inside", Reply(status=302, headers={"Location": target}))
    refused(url, limits)
    assert [c for c in net.connects if c[0] != "127.0.0.1"] == []


@pytest.mark.parametrize(
    "target, code",
    [
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("gopher://127.0.0.1:6379/_FLUSHALL", "scheme_not_allowed"),
        ("http://admin:admin@example.org/", "credentials_in_url"),
    ],
)
def test_a_redirect_to_another_scheme_or_with_credentials_is_refused(
    target, code, site, limits, net
):
    url = site.add("to-elsewhere", Reply(status=301, headers={"Location": target}))
    refused(url, limits, code)
    assert net.connects == [("127.0.0.1", site.port)]


@pytest.mark.parametrize(
    "location",
    ["http://[::1", "http://[not-an-address]/", "http://example.org:99999/", "http://[::1]:x/"],
)
def test_a_redirect_to_an_invalid_location_is_a_clear_failure_not_a_crash(
    location, site, limits, net
):
    url = site.add("to-nowhere", Reply(status=302, headers={"Location": location}))
    error = refused_or_failed(url, limits, "invalid_redirect")
    assert error.final_url == url and not error.refused
    assert "invalid location" in error.message
    assert net.connects == [("127.0.0.1", site.port)]


def refused_or_failed(url, limits, code):
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits)
    assert caught.value.code == code, caught.value.message
    assert not caught.value.temporary
    return caught.value


def test_a_redirect_from_an_exempted_server_to_another_port_is_refused(site, outside, limits, net):
    target = outside.add("admin", Reply(PAGE))
    url = site.add("to-other-port", Reply(status=307, headers={"Location": target}))
    refused(url, limits)
    assert outside.connections == 0
    assert net.connects == [("127.0.0.1", site.port)]


def test_redirect_loops_and_long_chains_stop(site, limits):
    a, b = site.add("loop-a"), site.add("loop-b")
    site.set(a, Reply(status=302, headers={"Location": b}))
    site.set(b, Reply(status=302, headers={"Location": a}))
    assert refused(a, limits, "redirect_loop").final_url == a

    chain = [site.add(f"hop{i}") for i in range(7)]
    for here, there in zip(chain, chain[1:], strict=False):
        site.set(here, Reply(status=302, headers={"Location": there}))
    site.set(chain[-1], Reply(PAGE))
    refused(chain[0], limits, "too_many_redirects")
    assert not site.hits(chain[6])  # the sixth redirect is never followed


def test_a_public_name_is_fetched_from_the_address_that_was_checked(site, limits, net):
    net.resolve("news.example", PUBLIC_IP)
    net.route(PUBLIC_IP, 80, site)
    path = site.add("public", Reply(PAGE)).split(site.authority, 1)[1]
    result = fetch(f"http://news.example{path}", limits=limits)
    assert result.body == PAGE.encode() and result.peer_ip == PUBLIC_IP
    assert site.hits(path)[0].headers["Host"] == "news.example"
    assert net.connects == [(PUBLIC_IP, 80)]


def test_a_public_name_resolving_privately_is_refused_without_connecting(limits, net):
    net.resolve("intranet.example", "192.168.10.5")
    refused("http://intranet.example/", limits)
    net.resolve("sneaky.example", "::ffff:127.0.0.1")
    refused("http://sneaky.example/", limits)
    assert net.connects == []


def test_dns_rebinding_cannot_swap_the_address_after_the_check(site, limits, net):
    # First answer public (passes the check), every later one loopback. A fetcher that
    # looked the name up again to connect would reach the loopback address.
    net.resolve("rebind.example", PUBLIC_IP, "127.0.0.1")
    net.route(PUBLIC_IP, 80, site)
    path = site.add("rebind", Reply(PAGE)).split(site.authority, 1)[1]
    result = fetch(f"http://rebind.example{path}", limits=limits)
    assert result.peer_ip == PUBLIC_IP
    assert net.lookups.count("rebind.example") == 1
    assert net.connects == [(PUBLIC_IP, 80)]
    # The next fetch sees the rebound answer and is refused before connecting.
    refused(f"http://rebind.example{path}", limits)
    assert net.connects == [(PUBLIC_IP, 80)]


def test_proxies_and_netrc_in_the_environment_are_ignored(
    site, outside, limits, monkeypatch, tmp_path
):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://{outside.authority}")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login admin password hunter2\n")
    monkeypatch.setenv("NETRC", str(netrc))
    url = site.add("direct", Reply(PAGE))
    assert fetch(url, limits=limits).body == PAGE.encode()
    assert outside.connections == 0
    assert "Authorization" not in site.hits(url)[0].headers
