// Facts under Ansible's names and shapes, from the gathering script's output recorded on a Debian 12 test
// host; the expected values are what ansible-core 2.14's setup module reported on that same host.
import { expect } from 'chai';
import { factsToVars, parseFacts } from '../../../runner/execute/facts.js';

const ENV = Buffer.from('HOME=/root\nLANG=C.UTF-8\nPATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n').toString('base64');
const DEBIAN12 = [
  'os_id=debian',
  'os_version=12',
  'os_version_text=12 (bookworm)',
  'os_like=',
  'os_codename=bookworm',
  'debian_version=12.11',
  'hostname=h1',
  'nodename=h1',
  'fqdn=',
  'system=Linux',
  'kernel=6.18.44-fc-v1252',
  'kernel_version=#1 SMP PREEMPT_DYNAMIC @0',
  'architecture=x86_64',
  'userspace_bits=64',
  'init_system=sysv',
  'pid1=sh',
  'sbin_init=/lib/systemd/systemd',
  'systemctl=yes',
  'initd=yes',
  'python=/usr/bin/python3',
  'python_version=3 11 2 final 0',
  'machine_id=c1e51afcb3f345e8b8ff1d236c8e34d6',
  'dbus_machine_id=3d1219c7c4c5404aaa1f6d2a48adfda4',
  'user_id=root',
  'user_uid=0',
  'user_gid=0',
  'user_passwd=root:x:0:0:root:/root:/bin/bash',
  'pkg_mgr=apt-get',
  'vcpus=2',
  'memtotal_kb=24683792',
  'interfaces=eth0 ifb0 ifb1 lo ',
  'ipv4_all=127.0.0.1 192.0.2.2 ',
  'route=8.8.8.8 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0 ',
  'route_addr=4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever',
  'route_mac=02:fc:00:00:00:01',
  'route_mtu=1400',
  'route_type=1',
  'env_b64=ENV',
].join('\n').replace('env_b64=ENV', `env_b64=${ENV}`);

describe('facts under Ansible names', () => {
  const v = factsToVars(parseFacts(DEBIAN12));
  const facts = v.ansible_facts as Record<string, unknown>;

  it('match what setup reported on the same host', () => {
    const oracle: Record<string, unknown> = {
      distribution: 'Debian', distribution_version: '12.11', distribution_release: 'bookworm', distribution_major_version: '12',
      os_family: 'Debian', architecture: 'x86_64', hostname: 'h1', fqdn: 'h1', nodename: 'h1', domain: '', system: 'Linux',
      kernel: '6.18.44-fc-v1252', kernel_version: '#1 SMP PREEMPT_DYNAMIC @0', user_id: 'root', user_uid: 0, user_gid: 0,
      user_dir: '/root', user_shell: '/bin/bash', service_mgr: 'systemd', pkg_mgr: 'apt', userspace_bits: '64',
      machine_id: '3d1219c7c4c5404aaa1f6d2a48adfda4', processor_vcpus: 2, python_version: '3.11.2',
      all_ipv4_addresses: ['192.0.2.2'],
      default_ipv4: {
        address: '192.0.2.2', alias: 'eth0', broadcast: '192.0.2.255', gateway: '192.0.2.1', interface: 'eth0',
        macaddress: '02:fc:00:00:00:01', mtu: 1400, netmask: '255.255.255.0', network: '192.0.2.0', prefix: '24', type: 'ether',
      },
      python: {
        executable: '/usr/bin/python3', has_sslcontext: true, type: 'cpython',
        version: { major: 3, micro: 2, minor: 11, releaselevel: 'final', serial: 0 }, version_info: [3, 11, 2, 'final', 0],
      },
    };
    for (const [k, want] of Object.entries(oracle)) {
      expect(facts[k], `ansible_facts.${k}`).to.deep.equal(want);
      expect(v[`ansible_${k}`], `ansible_${k}`).to.deep.equal(want);
    }
    expect(JSON.stringify(facts.default_ipv4), 'keys in the order setup prints them').to.equal(JSON.stringify(oracle.default_ipv4));
    expect(facts.env).to.deep.equal({ HOME: '/root', LANG: 'C.UTF-8', PATH: '/usr/local/bin:/usr/bin:/bin', SHELL: '/bin/bash' });
    expect((facts.interfaces as string[]).sort()).to.deep.equal(['eth0', 'ifb0', 'ifb1', 'lo']);
  });

  it('date_time: the shape and strings setup reported on that host at 2026-12-08T02:05:38.207472Z', () => {
    const f = parseFacts('date_time=2026|12|Tuesday|2|49|08|02|05|38|1796695538|207472913|UTC|+0000|2026-12-08T02:05:38\n');
    expect(f.ansible.date_time).to.deep.equal({
      date: '2026-12-08', day: '08', epoch: '1796695538', epoch_int: '1796695538', hour: '02', iso8601: '2026-12-08T02:05:38Z',
      iso8601_basic: '20261208T020538207472', iso8601_basic_short: '20261208T020538', iso8601_micro: '2026-12-08T02:05:38.207472Z',
      minute: '05', month: '12', second: '38', time: '02:05:38', tz: 'UTC', tz_dst: 'UTC', tz_offset: '+0000',
      weekday: 'Tuesday', weekday_number: '2', weeknumber: '49', year: '2026',
    });
    expect(factsToVars(f).ansible_date_time).to.deep.equal(f.ansible.date_time);
  });

  it('keeps play\'s own names under ansible_facts only', () => {
    expect(facts).to.include({ os_id: 'debian', os_version: '12', os_codename: 'bookworm', init_system: 'sysv' });
    expect(v).not.to.have.property('ansible_os_id');
  });

  it('without a route, python or base64, the facts it can give and empty shapes for the rest', () => {
    const bare = factsToVars(parseFacts('os_id=alpine\nos_version=3.19.1\nhostname=a1\nnodename=a1.example.org\nfqdn=a1.example.org\npid1=init\nopenrc=yes\n'));
    const f = bare.ansible_facts as Record<string, unknown>;
    expect(f).to.deep.include({ distribution: 'Alpine', distribution_major_version: '3', distribution_release: 'NA', os_family: 'Alpine', hostname: 'a1', domain: 'example.org', service_mgr: 'openrc', default_ipv4: {}, env: {} });
    expect(f).not.to.have.property('python');
  });

  it('names RedHat-family systems as Ansible does and reads the release from VERSION', () => {
    const f = factsToVars(parseFacts('os_id=rhel\nos_version=9.3\nos_version_text=9.3 (Plow)\nos_like=fedora\npid1=systemd\n')).ansible_facts as Record<string, unknown>;
    expect(f).to.deep.include({ distribution: 'RedHat', distribution_version: '9.3', distribution_major_version: '9', distribution_release: 'Plow', os_family: 'RedHat', service_mgr: 'systemd' });
  });
});
