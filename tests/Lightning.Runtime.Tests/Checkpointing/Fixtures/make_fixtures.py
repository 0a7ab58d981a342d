"""Writes the PyTorch fixtures that PyTorchInteropTests load into a C# module.

Run once with Debian's python3-torch (1.13) from this folder:  /usr/bin/python3 make_fixtures.py
The files are committed; the tests never run Python to read them.

Every weight, input and statistic is a small multiple of a power of two, and the batch norm has eps = 0 and
variances that are powers of four, so every operation of the forward pass is exact in float32. Any correct
implementation then gives the same bits whatever its summation order, and the C# module must reproduce the
outputs below exactly, not just closely.
"""
from collections import OrderedDict

import torch
from torch import nn


class Net(nn.Module):
    """The network FixtureNet in PyTorchInteropTests mirrors: same layers, same names."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(8, 16)
        self.norm = nn.BatchNorm1d(16, eps=0.0)
        self.output = nn.Linear(16, 3)

    def forward(self, x):
        return self.output(torch.relu(self.norm(self.hidden(x))))


def dyadic(t, bits, limit):
    """t rounded to a multiple of 2**-bits within [-limit, limit]."""
    return torch.clamp(torch.round(t * 2 ** bits) / 2 ** bits, -limit, limit)


def make_exact(net):
    with torch.no_grad():
        for layer in (net.hidden, net.output):
            layer.weight.copy_(dyadic(layer.weight * 4, 4, 1))
            layer.bias.copy_(dyadic(layer.bias * 4, 4, 1))
        net.norm.weight.copy_(dyadic(torch.randn(16), 2, 2))
        net.norm.bias.copy_(dyadic(torch.randn(16), 2, 2))
        net.norm.running_mean.copy_(dyadic(net.norm.running_mean, 2, 4))
        net.norm.running_var.copy_(4.0 ** torch.randint(0, 2, (16,)).float())


def main():
    torch.manual_seed(0)
    net = Net()
    # A few training-mode passes make the batch norm's counter (an int64 buffer) non-zero.
    with torch.no_grad():
        for _ in range(3):
            net(torch.randn(32, 8) * 2 + 1)
    make_exact(net)
    net.eval()

    x = dyadic(torch.randn(5, 8), 2, 3)
    with torch.no_grad():
        y = net(x)

    # A plain state_dict, as torch.save(model.state_dict(), path) writes it.
    torch.save(net.state_dict(), "pytorch_state_dict.pt")

    # The layout of a PyTorch Lightning checkpoint whose LightningModule keeps the network in self.model,
    # with an optimizer and scheduler state after one step.
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    net.train()
    net(torch.randn(4, 8)).sum().backward()
    optimizer.step()
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    make_exact(net)
    net.eval()
    with torch.no_grad():
        y_lightning = net(x)
    torch.save({
        "epoch": 4,
        "global_step": 50,
        "pytorch-lightning_version": "2.4.0",
        "state_dict": OrderedDict(("model." + k, v) for k, v in net.state_dict().items()),
        "loops": {"fit_loop": {"state_dict": {}, "epoch_progress": {"total": {"ready": 5, "completed": 4}}}},
        "callbacks": {"ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min'}": {
            "best_model_score": torch.tensor(0.25), "best_model_path": "/tmp/epoch=3.ckpt", "dirpath": "/tmp"}},
        "optimizer_states": [optimizer.state_dict()],
        "lr_schedulers": [scheduler.state_dict()],
        "hparams_name": "kwargs",
        "hyper_parameters": {"hidden_size": 16, "learning_rate": 0.01},
    }, "pytorch_lightning.ckpt")

    torch.save({"input": x, "output": y, "output_lightning": y_lightning}, "pytorch_io.pt")


if __name__ == "__main__":
    main()
