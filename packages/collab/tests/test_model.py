import pytest
import torch

from lamella.collab import EmbeddingDotBias, EmbeddingNN


def test_dot_bias_is_dot_product_plus_biases():
    model = EmbeddingDotBias(3, n_users=4, n_items=5)
    x = torch.tensor([[1, 2], [3, 4]])
    u, i = model.u_weight.weight[x[:, 0]], model.i_weight.weight[x[:, 1]]
    expected = (u * i).sum(1) + model.u_bias.weight[x[:, 0], 0] + model.i_bias.weight[x[:, 1], 0]
    torch.testing.assert_close(model(x), expected)
    ranged = EmbeddingDotBias(3, 4, 5, y_range=(0, 5.5))
    ranged.load_state_dict(model.state_dict())
    torch.testing.assert_close(ranged(x), torch.sigmoid(expected) * 5.5)


def test_bias_and_weight_by_name():
    classes = {"user": ["#na#", 10, 20], "title": ["#na#", "Alien", "Heat"]}
    model = EmbeddingDotBias.from_classes(4, classes, y_range=(0, 5))
    torch.testing.assert_close(model.bias(["Heat"]), model.i_bias.weight[2].detach())
    torch.testing.assert_close(model.weight([20], is_item=False), model.u_weight.weight[[2]].detach())
    # detached, as fastai's: the book plots them and takes their PCA straight away
    assert not model.bias(["Heat"]).requires_grad and not model.weight(["Alien"]).requires_grad
    with pytest.raises(KeyError, match="'Jaws'.*'title'"):
        model.bias(["Jaws"])
    with pytest.raises(ValueError, match="from_classes"):
        EmbeddingDotBias(2, 3, 3).bias(["Heat"])


def test_embedding_nn_takes_codes_only():
    model = EmbeddingNN([(4, 3), (6, 4)], layers=[10], y_range=(0, 5.5))
    out = model(torch.tensor([[1, 2], [3, 5]]))
    assert out.shape == (2, 1) and ((out > 0) & (out < 5.5)).all()
    assert model.layers[0][0].in_features == 7
