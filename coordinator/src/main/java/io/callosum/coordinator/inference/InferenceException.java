package io.callosum.coordinator.inference;

/** A request the inference API cannot serve, with the HTTP status that says whose fault it is. */
public class InferenceException extends RuntimeException {
    private final int status;

    public InferenceException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static InferenceException badRequest(String message) {
        return new InferenceException(400, message);
    }

    static InferenceException notFound(String message) {
        return new InferenceException(404, message);
    }

    static InferenceException conflict(String message) {
        return new InferenceException(409, message);
    }

    static InferenceException tooLarge(String message) {
        return new InferenceException(413, message);
    }

    static InferenceException unprocessable(String message) {
        return new InferenceException(422, message);
    }
}
