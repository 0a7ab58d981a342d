"""PyTorch Lightning side of the GPU benchmark (bench/gpu/run.sh).

The same networks, data, batch sizes, optimizer and precisions as `Lightning.Bench gpu`, timed the same way:
optimizer steps per second over the epochs after the first, with the GPU synchronised at both ends.
The same training as a hand-written PyTorch loop is timed too, the baseline of PyTorch Lightning's own cost.
Writes a JSON list with the fields of the .NET side's GpuResult.
"""
import argparse
import gzip
import json
import math
import struct
import time

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 1234


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    rank = raw[3]
    shape = struct.unpack(">" + "I" * rank, raw[4 : 4 + 4 * rank])
    return torch.frombuffer(bytearray(raw[4 + 4 * rank :]), dtype=torch.uint8).reshape(shape)


def fashion_mnist(folder):
    x = read_idx(f"{folder}/train-images-idx3-ubyte.gz").reshape(-1, 28 * 28).float() / 255.0
    y = read_idx(f"{folder}/train-labels-idx1-ubyte.gz").long()
    return x, y


def parity_network():
    return nn.Sequential(nn.Linear(28 * 28, 128), nn.Tanh(), nn.BatchNorm1d(128), nn.Dropout(0.3), nn.Linear(128, 10))


def conv_network():
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
    )


class ResidualBlock(nn.Module):
    def __init__(self, inputs, outputs, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(outputs)
        self.conv2 = nn.Conv2d(outputs, outputs, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(outputs)
        self.shortcut = None
        if stride != 1 or inputs != outputs:
            self.shortcut = nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride=stride, bias=False), nn.BatchNorm2d(outputs))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


def resnet_network():
    """ResNetNetwork.cs's network: three stages of two basic blocks on Fashion-MNIST padded to 32x32."""
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)), nn.ZeroPad2d(2),
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        ResidualBlock(32, 32, 1), ResidualBlock(32, 32, 1),
        ResidualBlock(32, 64, 2), ResidualBlock(64, 64, 1),
        ResidualBlock(64, 128, 2), ResidualBlock(128, 128, 1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10),
    )


# name: (network, learning rate, precision, batch size)
MODELS = {
    "mlp": (parity_network, 0.02, "32-true", 128),
    "conv": (conv_network, 1e-3, "32-true", 128),
    "resnet": (resnet_network, 1e-3, "bf16-mixed", 256),
}


class Classifier(pl.LightningModule):
    def __init__(self, net, lr):
        super().__init__()
        self.net = net
        self.lr = lr
        self.last_loss = float("nan")

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        if batch_idx + 1 == self.trainer.num_training_batches:
            self.last_loss = loss.item()
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


class BatchSlices:
    """Whole batches sliced by index from host tensors, shuffled per epoch: what the runtime's TensorDataLoader does."""

    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size, self.epoch = x, y, batch_size, 0

    def __len__(self):
        return math.ceil(len(self.y) / self.batch_size)

    def __iter__(self):
        generator = torch.Generator().manual_seed(SEED * 1_000_003 + self.epoch)
        self.epoch += 1
        order = torch.randperm(len(self.y), generator=generator)
        for i in range(len(self)):
            index = order[i * self.batch_size : (i + 1) * self.batch_size]
            yield self.x.index_select(0, index), self.y.index_select(0, index)


class StepTimer(pl.Callback):
    def __init__(self, warmup_epochs):
        self.warmup_epochs, self.first, self.start, self.steps, self.seconds = warmup_epochs, None, None, 0, float("nan")

    def on_train_epoch_start(self, trainer, module):
        if trainer.current_epoch == self.warmup_epochs:
            torch.cuda.synchronize()
            self.first, self.start = trainer.global_step, time.perf_counter()

    def on_train_end(self, trainer, module):
        torch.cuda.synchronize()
        self.seconds = time.perf_counter() - self.start
        self.steps = trainer.global_step - self.first


def measure(name, loader_name, x, y, epochs):
    pl.seed_everything(SEED)
    factory, lr, precision, batch_size = MODELS[name]
    model = Classifier(factory(), lr)
    timer = StepTimer(warmup_epochs=1)
    trainer = pl.Trainer(
        accelerator="gpu", devices=1, precision=precision, max_epochs=epochs, callbacks=[timer],
        enable_progress_bar=False, logger=False, enable_checkpointing=False, enable_model_summary=False,
        num_sanity_val_steps=0,
    )
    if loader_name == "DataLoader":
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
    else:
        loader = BatchSlices(x, y, batch_size)
    trainer.fit(model, train_dataloaders=loader)
    result = {
        "Framework": "PyTorch Lightning " + pl.__version__,
        "Model": name,
        "Loader": loader_name,
        "StepsPerSecond": timer.steps / timer.seconds,
        "Steps": timer.steps,
        "Seconds": timer.seconds,
        "LastLoss": model.last_loss,
        "Device": torch.cuda.get_device_name(0) + ", torch " + torch.__version__,
        "Plain": False,
    }
    print(f"{name} / {loader_name}: {result['StepsPerSecond']:.1f} steps/s over {timer.steps} steps", flush=True)
    return result


def plain_epochs(net, optimizer, loader, epochs, precision):
    loss = None
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=precision == "bf16-mixed"):
                loss = F.cross_entropy(net(x.cuda()), y.cuda())
            loss.backward()
            optimizer.step()
    return loss.item()


def measure_plain(name, x, y, epochs):
    """The loop a PyTorch user writes by hand: one warm-up epoch, then the rest timed like the Trainer's."""
    pl.seed_everything(SEED)
    factory, lr, precision, batch_size = MODELS[name]
    net = factory().cuda().train()
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    loader = BatchSlices(x, y, batch_size)
    plain_epochs(net, optimizer, loader, 1, precision)
    torch.cuda.synchronize()
    start = time.perf_counter()
    last_loss = plain_epochs(net, optimizer, loader, epochs - 1, precision)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    steps = len(loader) * (epochs - 1)
    print(f"{name} / plain loop: {steps / seconds:.1f} steps/s over {steps} steps", flush=True)
    return {
        "Framework": "PyTorch plain loop", "Model": name, "Loader": "batch index_select", "StepsPerSecond": steps / seconds,
        "Steps": steps, "Seconds": seconds, "LastLoss": last_loss, "Device": torch.cuda.get_device_name(0) + ", torch " + torch.__version__,
        "Plain": True,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="folder with train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--result", required=True)
    args = parser.parse_args()
    x, y = fashion_mnist(args.data)
    results = []
    for name in MODELS:
        results += [measure(name, loader, x, y, args.epochs) for loader in ("batch index_select", "DataLoader")]
        results.append(measure_plain(name, x, y, args.epochs))
    with open(args.result, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
