import torch

from lamella.learner import Callback, GradientClip


def test_gradients_are_clipped_before_the_step(learn):
    norms = []

    class Watch(Callback):
        order = 30

        def before_step(self):
            grads = [p.grad.flatten() for p in self.learn.model.parameters()]
            norms.append(float(torch.cat(grads).norm()))

    class Boost(Callback):
        order = 5

        def after_loss(self):
            self.learn.loss_grad = self.loss_grad * 1000

    learn.fit(1, cbs=[Boost(), GradientClip(max_norm=0.5), Watch()])
    assert norms and max(norms) <= 0.5 + 1e-5
