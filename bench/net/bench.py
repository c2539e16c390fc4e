"""Driver for bench/net/run.sh (runs inside a private network namespace).

CNI side: what a runtime (libcni) does for a conflist [bridge(host-local), portmap]:
ADD = bridge ADD, then portmap ADD with the bridge result as prevResult and the
port in runtimeConfig; DEL = portmap DEL then bridge DEL. Only the plugin
processes are timed (the JSON plumbing of this driver is not).
nslab side: one `nslab net connect NET NS -p PORT:80` process per namespace,
then one `nslab net disconnect NET NS` each; the JVM start is included.
"""
import json, os, statistics, subprocess, sys, time

N = int(sys.argv[1])
CNI = "/usr/lib/cni"
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
CP = os.environ["NSLAB_BENCH_CP"]
JVM = [JAVA, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:cds=off"]
JSA = "/tmp/nslab-bench/nslab.jsa"
# AppCDS archive trained on what is measured (a connect and a disconnect, in the warm-up below):
# an archive dumped by whichever command ran first (-XX:+AutoCreateSharedArchive after `net create`)
# misses the classes of the connect path and costs about a quarter of a per-command run
NSLAB = JVM + ["-XX:SharedArchiveFile=" + JSA, "-cp", CP, "io.nslab.cli.net.NetCommand"]
TRAIN = JVM + ["-XX:ArchiveClassesAtExit=" + JSA, "-cp", CP, "io.nslab.cli.net.NetCommand"]

def sh(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

BRIDGE = {"cniVersion": "1.0.0", "name": "cnibench", "type": "bridge", "bridge": "cni0", "isGateway": True,
          "ipMasq": True, "hairpinMode": True,
          "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.0.0/16"}]], "routes": [{"dst": "0.0.0.0/0"}]}}

def plugin(ptype, command, ns, conf):
    env = dict(os.environ, CNI_COMMAND=command, CNI_CONTAINERID=ns, CNI_NETNS="/run/netns/" + ns,
               CNI_IFNAME="eth0", CNI_PATH=CNI)
    t = time.perf_counter()
    p = subprocess.run([os.path.join(CNI, ptype)], input=json.dumps(conf).encode(), env=env, capture_output=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"{ptype} {command} {ns}: {p.stdout.decode()} {p.stderr.decode()}")
    return dt, (json.loads(p.stdout) if p.stdout.strip() else None)

def portmap_conf(i, prev):
    c = {"cniVersion": "1.0.0", "name": "cnibench", "type": "portmap", "capabilities": {"portMappings": True},
         "runtimeConfig": {"portMappings": [{"hostPort": 20000 + i, "containerPort": 80, "protocol": "tcp"}]}}
    if prev is not None:
        c["prevResult"] = prev
    return c

def cni_round(names):
    add, dele, results = [], [], {}
    for i, ns in enumerate(names):
        t1, res = plugin("bridge", "ADD", ns, BRIDGE)
        t2, res2 = plugin("portmap", "ADD", ns, portmap_conf(i, res))
        results[ns] = res2 or res
        add.append(t1 + t2)
    for i, ns in enumerate(names):
        t1, _ = plugin("portmap", "DEL", ns, portmap_conf(i, results[ns]))
        t2, _ = plugin("bridge", "DEL", ns, dict(BRIDGE, prevResult=results[ns]))
        dele.append(t1 + t2)
    return add, dele

def nslab(*args):
    t = time.perf_counter()
    p = subprocess.run(NSLAB + list(args), capture_output=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"nslab {' '.join(args)}: exit {p.returncode}: {p.stdout.decode()} {p.stderr.decode()}")
    return dt

def nslab_round(names):
    add, dele = [], []
    for i, ns in enumerate(names):
        add.append(nslab("connect", "nslbench", ns, "-p", f"{40000 + i}:80"))
    for ns in names:
        dele.append(nslab("disconnect", "nslbench", ns))
    return add, dele

def nslab_batch(names, offset):
    """One process for all connects, one for all disconnects (nslab net batch)."""
    cf, df = "/tmp/nslab-bench/connect.txt", "/tmp/nslab-bench/disconnect.txt"
    with open(cf, "w") as f:
        for i, ns in enumerate(names):
            f.write(f"connect nslbench {ns} -p {offset + i}:80\n")
    with open(df, "w") as f:
        for ns in names:
            f.write(f"disconnect nslbench {ns}\n")
    a, at = nslab_timed("batch", "--timing", cf)
    d, dt = nslab_timed("batch", "--timing", df)
    INPROC.update(connect=at, disconnect=dt)
    return [a / len(names)] * len(names), [d / len(names)] * len(names)

INPROC = {}

def nslab_timed(*args):
    """Like nslab(), also returning the per-line in-process times (ms) that `batch --timing` prints."""
    t = time.perf_counter()
    p = subprocess.run(NSLAB + list(args), capture_output=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"nslab {' '.join(args)}: exit {p.returncode}: {p.stdout.decode()} {p.stderr.decode()}")
    lines = [float(l.split()[-2]) for l in p.stderr.decode().splitlines() if l.endswith(" ms")]
    return dt, lines

def report(label, add, dele):
    tot = [a + d for a, d in zip(add, dele)]
    print(f"{label} connect  mean {statistics.mean(add)*1000:7.1f} ms  median {statistics.median(add)*1000:7.1f} ms")
    print(f"{label} disconn. mean {statistics.mean(dele)*1000:7.1f} ms  median {statistics.median(dele)*1000:7.1f} ms")
    print(f"{label} per attachment (connect+disconnect) mean {statistics.mean(tot)*1000:7.1f} ms, total {sum(tot):6.2f} s for {len(tot)}")
    return statistics.mean(tot)

# NSLAB_BENCH_ONLY=inprocess: only the nslab batch, for its in-process time per line (no CNI plugins needed)
ONLY_INPROCESS = os.environ.get("NSLAB_BENCH_ONLY") == "inprocess"
names_cni = [] if ONLY_INPROCESS else [f"cni{i}" for i in range(N)]
names_nsl = [f"nsl{i}" for i in range(N)]
PER_PROCESS = 0 if ONLY_INPROCESS else min(N, int(os.environ.get("NSLAB_BENCH_PER_PROCESS", "20")))
names_pp = [f"npp{i}" for i in range(PER_PROCESS)]
for n in names_cni + names_nsl + names_pp:
    sh("ip", "netns", "add", n)

# warm-up: one attachment each (page cache, CDS archive creation for the JVM)
sh("ip", "netns", "add", "warm")
if os.path.exists(JSA):
    os.remove(JSA)
with open("/tmp/nslab-bench/train.txt", "w") as f:
    f.write("create nslbench --subnet 10.89.0.0/16\nconnect nslbench warm -p 29999:80\ndisconnect nslbench warm\n")
subprocess.run(TRAIN + ["batch", "/tmp/nslab-bench/train.txt"], check=True, capture_output=True)
if not ONLY_INPROCESS:
    sh("ip", "netns", "add", "warm2")
    nslab("connect", "nslbench", "warm2", "-p", "29998:80"); nslab("disconnect", "nslbench", "warm2")
    cni_round(["warm"])

t0 = time.perf_counter()
ca, cd = cni_round(names_cni)
t_cni = time.perf_counter() - t0
t0 = time.perf_counter()
ba, bd = nslab_batch(names_nsl, 30000)
t_batch = time.perf_counter() - t0
pa, pd = nslab_round(names_pp)
cni_wall = "" if ONLY_INPROCESS else f"cni {t_cni:.2f} s, "
print(f"N = {N} namespaces, one published tcp port each (wall: {cni_wall}nslab batch {t_batch:.2f} s)")
if not ONLY_INPROCESS:
    c = report("cni", ca, cd)
b = report("nslab batch (2 processes for all N)", ba, bd)
if not ONLY_INPROCESS:
    p = report(f"nslab one process per command ({PER_PROCESS} attachments)", pa, pd)
for k, v in INPROC.items():
    tenth = max(1, len(v) // 10)
    print(f"nslab batch in-process {k}: median {statistics.median(v):6.1f} ms; first line {v[0]:6.1f} ms (class loading); "
          f"lines 2-{tenth + 1} mean {statistics.mean(v[1:tenth + 1]):6.1f} ms, last {tenth} mean {statistics.mean(v[-tenth:]):6.1f} ms")
if not ONLY_INPROCESS:
    print(f"speed-up per attachment vs cni: nslab batch {c / b:.2f}x, nslab process-per-command {c / p:.2f}x")
nslab("rm", "nslbench")
