# The classifier's WGSL kernels (www/classifier/gpu/kernels.js) timed on a GPU outside the
# browser, through wgpu-native (the `wgpu` Python package; Vulkan on NVIDIA), the way
# GpuTrainer.timeUpdates does in the page: the digits net 64-32-10 relu, cross-entropy, Adam;
# K updates of one batch encoded in one submission, one wait (the median of 5 rounds). Random
# data and weights (the timing does not depend on them). Both weight-gradient kernels are
# timed: "serial" (a thread per weight), "parallel" (a workgroup per weight) and "auto" (as
# the page on a hardware adapter). Peer in the same run: the same net and update in PyTorch
# (CUDA, float32), when it is installed.
#
#   node www/bench/wgpu/dump.mjs target/wgsl
#   WGSL=target/wgsl python3 www/bench/wgpu/bench_gpu.py   (SIZES=8,32 MODES=auto to narrow)
import json, os, statistics, struct, sys, time
import numpy as np
import wgpu

HERE = os.environ.get("WGSL", os.path.dirname(os.path.abspath(__file__)))
SIZES = [int(s) for s in os.environ.get("SIZES", "8,32,128,512,1024,4096,16384").split(",")]
K = 64
# Which weight-gradient kernel: "serial" (a thread per weight), "parallel" (a workgroup per
# weight) or "auto" (the engine's choice: parallel above 256 rows); all three are timed.
MODE = "auto"
ROUNDS = 5
FEATURES, HIDDEN, CLASSES = 64, 32, 10
N = max(SIZES)

adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
info = adapter.info
adapter_software = info.get("adapter_type") == "CPU"
device = adapter.request_device_sync()
U = wgpu.BufferUsage
rng = np.random.default_rng(1)

layers = []
at = 0
fan_in = FEATURES
for out, act in [(HIDDEN, 0), (CLASSES, 3)]:
    w = at
    b = w + out * fan_in
    at = b + out
    layers.append(dict(fan_in=fan_in, out=out, w=w, b=b, act=act))
    fan_in = out
n_params = at
params = np.concatenate([rng.uniform(-0.1, 0.1, n_params)]).astype(np.float32)

off = 0
def take(n):
    global off
    a = off
    off += n
    return a
work = [take(N * l["out"]) for l in layers]
d = [take(N * HIDDEN), take(N * HIDDEN)]
row_loss, row_hit = take(N), take(N)

def buf(data=None, size=0, usage=U.STORAGE | U.COPY_DST | U.COPY_SRC):
    if data is not None:
        return device.create_buffer_with_data(data=data.tobytes(), usage=usage)
    return device.create_buffer(size=max(16, size), usage=usage)

X = buf(rng.standard_normal(N * FEATURES).astype(np.float32))
Y = buf(rng.integers(0, CLASSES, N).astype(np.uint32))
ORDER = buf(np.arange(N, dtype=np.uint32))
P = buf(params)
G = buf(size=n_params * 4)
WK = buf(size=off * 4)
S = buf(size=3 * n_params * 4)
OUT = buf(size=64)
UNI = buf(size=256, usage=U.UNIFORM | U.COPY_DST)

C = wgpu.ShaderStage.COMPUTE
bgl0 = device.create_bind_group_layout(entries=[{"binding": 0, "visibility": C, "buffer": {"type": wgpu.BufferBindingType.uniform, "has_dynamic_offset": True, "min_binding_size": 32}}])
bgl1 = device.create_bind_group_layout(entries=[{"binding": i, "visibility": C, "buffer": {"type": wgpu.BufferBindingType.read_only_storage}} for i in range(3)])
bgl2 = device.create_bind_group_layout(entries=[{"binding": i, "visibility": C, "buffer": {"type": wgpu.BufferBindingType.storage}} for i in range(5)])
layout = device.create_pipeline_layout(bind_group_layouts=[bgl0, bgl1, bgl2])
bg0 = device.create_bind_group(layout=bgl0, entries=[{"binding": 0, "resource": {"buffer": UNI, "offset": 0, "size": 32}}])
bg1 = device.create_bind_group(layout=bgl1, entries=[{"binding": i, "resource": {"buffer": b, "offset": 0, "size": b.size}} for i, b in enumerate([X, Y, ORDER])])
bg2 = device.create_bind_group(layout=bgl2, entries=[{"binding": i, "resource": {"buffer": b, "offset": 0, "size": b.size}} for i, b in enumerate([P, G, WK, S, OUT])])

modules = {}
def pipe(name, constants):
    if name not in modules:
        modules[name] = device.create_shader_module(code=open(os.path.join(HERE, name + ".wgsl")).read())
    return device.create_compute_pipeline(layout=layout, compute={"module": modules[name], "entry_point": "main", "constants": {k: float(v) for k, v in constants.items()}})

L = layers
dof = lambda i: d[(len(L) - 1 - i) % 2]
pl = []
for i, l in enumerate(L):
    inp = work[i - 1] if i else 0
    p = {"fwd": pipe("denseFwd", dict(FAN_IN=l["fan_in"], UNITS=l["out"], W_OFF=l["w"], B_OFF=l["b"], IN_OFF=inp, OUT_OFF=work[i], FIRST=int(i == 0), ACT=l["act"])),
         "grad": pipe("denseGrad", dict(FAN_IN=l["fan_in"], UNITS=l["out"], W_OFF=l["w"], B_OFF=l["b"], IN_OFF=inp, D_OFF=dof(i), FIRST=int(i == 0), HAS_BN=0)),
         "gradSerial": pipe("denseGradSerial", dict(FAN_IN=l["fan_in"], UNITS=l["out"], W_OFF=l["w"], B_OFF=l["b"], IN_OFF=inp, D_OFF=dof(i), FIRST=int(i == 0), HAS_BN=0))}
    if i:
        p["dprev"] = pipe("denseDprev", dict(FAN_IN=l["fan_in"], UNITS=l["out"], W_OFF=l["w"], IN_OFF=inp, D_OFF=dof(i), DN_OFF=dof(i - 1), PREV_ACT=L[i - 1]["act"]))
    pl.append(p)
loss = pipe("lossRows", dict(CLASSES=CLASSES, L_OFF=work[-1], D_OFF=d[0], RL_OFF=row_loss, RC_OFF=row_hit, MSE=0))
red = pipe("reduce", dict(RL_OFF=row_loss, RC_OFF=row_hit))
opt = pipe("optimizer", dict(N=n_params, KIND=1, WD=0, MAXIMIZE=0, BETA1=0.9, BETA2=0.999, EPS=1e-8, DECOUPLED=0, AMSGRAD=0))

def dispatch(cp, p, threads, size=64):
    g = -(-threads // size)
    cp.set_pipeline(p)
    if g <= 65535:
        cp.dispatch_workgroups(g, 1, 1)
    else:
        cp.dispatch_workgroups(65535, -(-g // 65535), 1)

def encode(n, k):
    enc = device.create_command_encoder()
    cp = enc.begin_compute_pass()
    cp.set_bind_group(0, bg0, [0])
    cp.set_bind_group(1, bg1)
    cp.set_bind_group(2, bg2)
    for _ in range(k):
        for i, l in enumerate(L):
            dispatch(cp, pl[i]["fwd"], n * l["out"])
        dispatch(cp, loss, n)
        dispatch(cp, red, 1, 1)
        for i in reversed(range(len(L))):
            l = L[i]
            if MODE == "parallel" or (MODE == "auto" and adapter_software is False):
                dispatch(cp, pl[i]["grad"], l["out"] * (l["fan_in"] + 1) * 64)
            else:
                dispatch(cp, pl[i]["gradSerial"], l["out"] * (l["fan_in"] + 1))
            if "dprev" in pl[i]:
                dispatch(cp, pl[i]["dprev"], n * l["fan_in"])
        dispatch(cp, opt, n_params)
    cp.end()
    return enc.finish()

def sync():
    device.queue.read_buffer(OUT, 0, 4)

rows = []
MODES = os.environ.get("MODES", "serial,parallel,auto").split(",")
for b, MODE in [(b, m) for b in SIZES for m in MODES]:
    rec = struct.pack("<4I4f", b, 0, 0, 1, 1e-3, 1.0, 0, 0) + bytes(256 - 32)
    device.queue.write_buffer(UNI, 0, rec)
    device.queue.submit([encode(b, 8)])
    sync()
    samples = []
    enc_s = []
    for _ in range(ROUNDS):
        e0 = time.perf_counter()
        cb = encode(b, K)
        e1 = time.perf_counter()
        t0 = time.perf_counter()
        device.queue.submit([cb])
        sync()
        t1 = time.perf_counter()
        samples.append((t1 - t0) / K)
        enc_s.append((e1 - e0) / K)
    loss_now = struct.unpack("<f", device.queue.read_buffer(OUT, 0, 4))[0]
    rows.append(dict(batch=b, mode=MODE, gpu_us=statistics.median(samples) * 1e6, encode_us=statistics.median(enc_s) * 1e6, loss=loss_now))

# Peer: the same net and update in PyTorch on the same GPU (float32, CUDA).
try:
    import torch
    dev = torch.device("cuda")
    Xt = torch.randn(N, FEATURES, device=dev)
    Yt = torch.randint(0, CLASSES, (N,), device=dev)
    net = torch.nn.Sequential(torch.nn.Linear(FEATURES, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES)).to(dev)
    o = torch.optim.Adam(net.parameters(), lr=1e-3)
    for r in [r for r in rows if r["mode"] == "auto"]:
        b = r["batch"]
        xb, yb = Xt[:b], Yt[:b]
        def step():
            o.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(net(xb), yb).backward()
            o.step()
        for _ in range(8):
            step()
        torch.cuda.synchronize()
        s = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            for _ in range(K):
                step()
            torch.cuda.synchronize()
            s.append((time.perf_counter() - t0) / K)
        r["torch_cuda_us"] = statistics.median(s) * 1e6
except Exception as e:  # no torch or no CUDA: the WebGPU rows alone
    print("torch peer skipped:", e, file=sys.stderr)

print(json.dumps({"adapter": {k: info.get(k) for k in ("vendor", "architecture", "device", "description", "adapter_type", "backend_type")}, "k": K, "rounds": ROUNDS, "rows": rows}, indent=1))
