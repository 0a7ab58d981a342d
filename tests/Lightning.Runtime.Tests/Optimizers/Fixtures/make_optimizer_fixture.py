"""Writes optimizer_steps.json: what PyTorch's own Adam, AdamW and SGD make of a fixed case, for
MultiTensorOptimizerTests to compare the runtime's multi-tensor optimizers against without Python.

The case needs no random numbers: two parameters start from closed-form values and every step's gradients are
closed-form too (computed in float64, rounded to float32), so C# builds the identical inputs. Run with any
PyTorch (Debian's python3-torch 1.13 made the committed file): python3 make_optimizer_fixture.py
"""
import json
import math

import torch

SHAPES = [(3, 4), (5,)]
STEPS = 20
CONFIGS = {
    "adam": ("Adam", dict(lr=0.01)),
    "adam_l2_amsgrad": ("Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    "adamw": ("AdamW", dict(lr=0.01, weight_decay=0.05)),
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov": ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
}


def initial(index, shape):
    n = math.prod(shape)
    return torch.tensor([math.sin(0.3 * k + index) for k in range(n)], dtype=torch.float64).float().reshape(shape)


def gradient(index, shape, step):
    n = math.prod(shape)
    return torch.tensor([math.cos(0.37 * k + 0.11 * step + index) for k in range(n)], dtype=torch.float64).float().reshape(shape)


def run(kind, options):
    params = [torch.nn.Parameter(initial(i, s)) for i, s in enumerate(SHAPES)]
    optimizer = getattr(torch.optim, kind)(params, foreach=False, **options)
    for step in range(STEPS):
        for i, (p, s) in enumerate(zip(params, SHAPES)):
            p.grad = gradient(i, s, step)
        optimizer.step()
    return [p.detach().reshape(-1).tolist() for p in params]


result = {
    "torch": torch.__version__,
    "steps": STEPS,
    "shapes": SHAPES,
    "cases": {name: {"optimizer": kind, "options": options, "parameters": run(kind, options)} for name, (kind, options) in CONFIGS.items()},
}
with open("optimizer_steps.json", "w") as f:
    json.dump(result, f, indent=1)
