"""The star import brings the audio names and everything vision's brings."""


def test_star_import_brings_audio_and_vision():
    ns = {}
    exec("from lamella.audio.all import *", ns)
    for name in (
        "TensorAudio",
        "AudioBlock",
        "AudioToSpec",
        "AudioConfig",
        "MaskFreq",
        "audio_learner",
        "vision_learner",
        "resnet18",
        "DataBlock",
        "RegexLabeller",
        "accuracy",
    ):
        assert name in ns, name
