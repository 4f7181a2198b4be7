# Vagrantfile shipped INSIDE the play test box; Vagrant merges it under the project's
# Vagrantfile, so the role's Vagrantfile stays plain. It makes vagrant-libvirt work with
# no libvirt network at all:
#   * no management network (mgmt_attach = false): no bridge, no 192.168.121.0/24
#   * one NIC = qemu user-mode (slirp) with restrict=on; SSH forwarded to
#     127.0.0.1:$VAGRANT_LOOPBACK_SSH_PORT (default 2222), nothing else reachable
#   * TCG ("qemu" driver) by default: this host's /dev/kvm (kvm_pvm) cannot boot a stock kernel
#   * direct kernel boot: vmlinuz/initrd.img travel in the box, root=/dev/vda, no bootloader
box_dir  = File.expand_path(__dir__)
ssh_port = Integer(ENV.fetch("VAGRANT_LOOPBACK_SSH_PORT", "2222"))

# vagrant-libvirt 0.11 learns the SSH host from DHCP leases or the qemu agent; with no libvirt
# network it would wait forever, and core Vagrant ignores config.ssh.host while the provider's
# ssh_info is nil. Answer "127.0.0.1" when the management network is off.
begin
  require "vagrant-libvirt/driver"
  unless VagrantPlugins::ProviderLibvirt::Driver.ancestors.any? { |m| m.name.to_s == "PlayLoopbackSSHShim" }
    PlayLoopbackSSHShim = Module.new do
      def get_ipaddress(domain = nil)
        return super unless @machine.provider_config.mgmt_attach == false
        "127.0.0.1"
      end
    end
    VagrantPlugins::ProviderLibvirt::Driver.prepend(PlayLoopbackSSHShim)
  end
rescue LoadError
end

Vagrant.configure("2") do |config|
  config.ssh.host = "127.0.0.1"
  config.ssh.port = ssh_port
  config.vm.synced_folder ".", "/vagrant", disabled: true
  config.vm.boot_timeout = 900

  config.vm.provider :libvirt do |lv|
    lv.driver      = ENV.fetch("VAGRANT_LIBVIRT_DRIVER", "qemu")   # "kvm" where KVM boots stock kernels
    lv.cpu_mode    = "custom"
    lv.cpu_model   = "qemu64"
    lv.cpus        = 2
    lv.memory      = 1024
    lv.mgmt_attach = false
    # vagrant-libvirt refuses mgmt_attach=false with a box unless it may ask a guest agent for
    # the IP; the shim answers first, so no agent runs in the guest (libvirt adds a channel only).
    lv.qemu_use_agent = true
    lv.graphics_type  = "none"
    lv.video_type     = "none"
    lv.kernel   = File.join(box_dir, "vmlinuz")
    lv.initrd   = File.join(box_dir, "initrd.img")
    lv.cmd_line = "root=/dev/vda rw console=ttyS0 net.ifnames=0"   # net.ifnames=0: the NIC is eth0
    # No lv.serial here: vagrant-libvirt 0.11.2's Config#merge fails ("no implicit conversion of
    # Symbol into Array") when the box sets serials and the project's provider block does not.
    lv.qemuargs :value => "-netdev"
    lv.qemuargs :value => "user,id=vgnet0,restrict=on,hostfwd=tcp:127.0.0.1:#{ssh_port}-:22"
    lv.qemuargs :value => "-device"
    lv.qemuargs :value => "virtio-net-pci,netdev=vgnet0,addr=0x10"
  end
end
