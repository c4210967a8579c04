"""Why a message was not delivered, and whether trying again at once may help."""


class DeliveryError(RuntimeError):
    """The server did not accept the message; `transient` says whether to retry now."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
