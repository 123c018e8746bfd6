"""A MiniLM encoder fine-tuned on the training codes: the supervised coder's optional base.

The stacked linear models (``_stack.py``) see fixed sentence embeddings and TF-IDF; on the
NHS benchmark they level off near macro-F1 0.65 whatever is stacked on top. Fine-tuning the
encoder itself learns a representation for the task. The model: all-MiniLM-L6-v2, mean
pooling over the tokens (as the sentence embedding does), dropout, one linear layer to the
codes, trained with cross-entropy (each code weighted mildly towards rare codes, as the
stack's meta-model does) by AdamW with a linear warm-up and decay.

Single-label data only (one code per text): the supervised coder averages this model's
probabilities with the stack's. Multi-label data keeps the stack alone, whose per-code
thresholds are tuned on out-of-fold scores that a fine-tuned model cannot give cheaply.

Determinism: the seed fixes the head's initial weights, dropout and the order of the
batches; training runs on a fixed number of torch threads (``threads``, default 1), because
sums split over a different number of threads round differently. On one machine, the same
data and settings give the same model twice. One thread is also the faster choice on a
shared machine: on 2 busy cores, 2 torch threads trained 3.5x slower than 1.

Cost on CPU, one thread, a busy 2-core machine (NHS comments, 17 tokens on average; batches
grouped by length to save padding): about 37 texts a second, so 8,200 comments for 2 epochs
took 443 s (1,000 would take about a minute). Longer texts cost more, about in proportion.
"""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from qualcode.embed import _QuietTransformers, _require, _torch_threads, minilm_path


class FineTunedClassifier:
    """MiniLM + mean pooling + a linear layer, fine-tuned on ``texts`` and their codes.

    ``y`` holds one code index per text (0 .. n_codes - 1). ``class_weight_power`` weights
    each code by (largest count / its count) ** power in the loss: 0 is unweighted, 1 fully
    balanced.

    >>> model = FineTunedClassifier(epochs=2).fit(texts, y, n_codes=9)  # doctest: +SKIP
    >>> model.predict_proba(["The staff were lovely"]).shape  # doctest: +SKIP
    (1, 9)
    """

    def __init__(self, epochs: int = 2, learning_rate: float = 5e-5,
                 head_learning_rate: float = 1e-3, batch_size: int = 32, max_length: int = 128,
                 class_weight_power: float = 0.3, warmup: float = 0.06, threads: int = 1,
                 random_state: int = 0) -> None:
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.head_learning_rate = head_learning_rate
        self.batch_size = batch_size
        self.max_length = max_length
        self.class_weight_power = class_weight_power
        self.warmup = warmup
        self.threads = threads
        self.random_state = random_state

    def fit(self, texts: Sequence[str], y: Sequence[int], n_codes: int) -> "FineTunedClassifier":
        torch = _require("torch", "torch")
        y = np.asarray(y, dtype=np.int64)
        self.n_codes_ = n_codes
        with _torch_threads(self.threads):
            torch.manual_seed(self.random_state)
            self._load()
            counts = np.bincount(y, minlength=n_codes).astype(np.float64)
            weights = np.where(counts > 0, counts.max() / np.maximum(counts, 1), 0.0) \
                ** self.class_weight_power
            loss_fn = torch.nn.CrossEntropyLoss(
                weight=torch.tensor(weights / weights[counts > 0].mean(), dtype=torch.float32))
            encoder, head = self.encoder_, self.head_
            # The word embeddings (12M of the 23M weights) stay as pretrained: updating them
            # doubled the optimiser's time per step, and words absent from the training data
            # would drift away from those present.
            encoder.embeddings.word_embeddings.weight.requires_grad_(False)
            trained = [w for w in encoder.parameters() if w.requires_grad]
            optimiser = torch.optim.AdamW([
                {"params": trained, "lr": self.learning_rate},
                {"params": head.parameters(), "lr": self.head_learning_rate}],
                weight_decay=0.01)
            rng = np.random.default_rng(self.random_state)
            lengths = self._lengths(texts)
            plan = [self._batches(lengths, rng) for _ in range(self.epochs)]
            total = sum(len(batches) for batches in plan)
            warm = max(1, int(self.warmup * total))
            schedule = torch.optim.lr_scheduler.LambdaLR(
                optimiser, lambda step: min((step + 1) / warm,
                                            max(0.0, (total - step) / max(1, total - warm))))
            encoder.train()
            head.train()
            for batches in plan:
                for batch in batches:
                    logits = head(self._pooled([texts[i] for i in batch]))
                    loss = loss_fn(logits, torch.from_numpy(y[batch]))
                    optimiser.zero_grad()
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(trained + list(head.parameters()), 1.0)
                    optimiser.step()
                    schedule.step()
            encoder.eval()
            head.eval()
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Softmax probabilities (texts x codes)."""
        torch = _require("torch", "torch")
        texts = list(texts)
        probabilities = np.zeros((len(texts), self.n_codes_))
        if not texts:
            return probabilities
        order = np.argsort(self._lengths(texts), kind="stable")  # less padding per batch
        with _torch_threads(self.threads), torch.inference_mode():
            for start in range(0, len(texts), 64):
                rows = order[start:start + 64]
                logits = self.head_(self._pooled([texts[i] for i in rows]))
                probabilities[rows] = torch.softmax(logits, dim=1).numpy()
        return probabilities

    # -- internals -------------------------------------------------------------------------

    def _load(self) -> None:
        """A fresh copy of the pretrained encoder (fine-tuning changes it) and a new head."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the hub
        transformers = _require("transformers", "transformers")
        torch = _require("torch", "torch")
        path = str(minilm_path())
        with _QuietTransformers():
            self.tokenizer_ = transformers.AutoTokenizer.from_pretrained(path)
            self.encoder_ = transformers.AutoModel.from_pretrained(path)
        self.head_ = torch.nn.Sequential(
            torch.nn.Dropout(0.1), torch.nn.Linear(self.encoder_.config.hidden_size,
                                                   self.n_codes_))

    def _pooled(self, texts: list[str]):
        """Mean of the token vectors (padding excluded), as the sentence embedding is made."""
        batch = self.tokenizer_(texts, padding=True, truncation=True,
                                max_length=self.max_length, return_tensors="pt")
        tokens = self.encoder_(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        return (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)

    def _lengths(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's length in tokens (after truncation)."""
        ids = self.tokenizer_(list(texts), truncation=True, max_length=self.max_length)
        return np.array([len(row) for row in ids["input_ids"]])

    def _batches(self, lengths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
        """One epoch's batches: shuffled, then sorted by length within chunks of 50 batches.

        Texts of similar length share a batch (little padding: about twice as fast on short
        comments) while the batches stay in random order, and a batch mixes codes.
        """
        order = rng.permutation(len(lengths))
        chunk = self.batch_size * 50
        batches = []
        for start in range(0, len(order), chunk):
            part = order[start:start + chunk]
            part = part[np.argsort(lengths[part], kind="stable")]
            batches += [part[i:i + self.batch_size] for i in range(0, len(part), self.batch_size)]
        return [batches[i] for i in rng.permutation(len(batches))]
