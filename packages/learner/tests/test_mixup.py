import torch

from lamella.learner import Callback, CutMix, MixUp


class Capture(Callback):
    order = 40

    def before_batch(self):
        if self.training:
            self.seen = self.xb[0].clone()


def test_mixup_blends_inputs_and_losses(learn, threshold):
    cap = Capture()
    original_loss = learn.loss_func
    learn.fit(1, cbs=[MixUp(alpha=0.4), cap])
    assert learn.loss_func is original_loss  # restored after training
    assert cap.seen.shape[1] == 2
    loss, *_ = learn.validate()
    threshold(loss, below=0.6, name="loss")  # chance's cross-entropy is ln 2 = 0.69


def test_mixup_lambda_keeps_the_larger_share():
    mix = MixUp(alpha=0.4)

    class Fake:
        yb_plain = (torch.arange(6),)

    mix.learn = Fake()
    mix._draw(6)
    assert (mix.lam >= 0.5).all() and sorted(mix.shuffle.tolist()) == list(range(6))


def test_mixed_loss_is_the_blend_of_both_targets():
    mix = MixUp()

    class Fake:
        yb_plain = (torch.tensor([0, 1]),)

    mix.learn = Fake()
    mix.old_loss = torch.nn.CrossEntropyLoss()
    mix.lam, mix.yb1 = torch.tensor([1.0, 0.0]), (torch.tensor([1, 0]),)
    pred = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    per = torch.nn.functional.cross_entropy(pred, torch.tensor([0, 0]), reduction="none")
    torch.testing.assert_close(mix._mixed_loss(pred, torch.tensor([0, 1])), per.mean())
    assert mix.old_loss.reduction == "mean"


def test_cutmix_pastes_boxes_and_records_the_kept_share():
    cut = CutMix(alpha=1.0)

    class Fake:
        pass

    fake = Fake()
    fake.xb = (torch.zeros(4, 1, 8, 8) + torch.arange(4.0).view(4, 1, 1, 1),)
    fake.yb_plain = (torch.arange(4),)
    cut.learn = fake
    torch.manual_seed(0)
    cut.before_batch()
    mixed = fake.xb[0]
    for i in range(4):
        kept = (mixed[i] == i).float().mean().item()
        assert abs(kept - cut.lam[i].item()) < 1e-6 or cut.shuffle[i] == i
