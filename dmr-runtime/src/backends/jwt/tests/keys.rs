//! Test keys, generated once with `openssl genpkey` (RSA 2048, P-256, Ed25519). Never use them
//! outside tests.

/// RSA private key (PKCS#8).
pub(super) const RSA_PRIVATE: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDvDyE+r94OI0HP\n\
cJOlJD6aO9Qi4jAs7unYTfFSleJCDFQBQWGiTgvQMeG1DJNPCEM7NSdmYFXI0wow\n\
h/3oReqnAClxUOHq+zG4CDFNsoPhru2YSjneX9mW0t99wD07s32gxwe6d+rpMXfi\n\
QzejJh9BIAQX6tqYVxoi/yAEFSwcoUBU3By3bWzup8v8HM3kRjDCuYDYCCOKrsxg\n\
LkFuf0jDQ9QkPTWqH/FVoj2Ua4pou5Ajh8yaOH5xYpQVpjvhLgv0naItetFPlWKK\n\
mo6HhJohLvKvMHV+Qbcbw7NsAF7QYEydjOtW5gKAfWr4aQo5SkKWUBcYHkILJsc4\n\
+TpO1t2/AgMBAAECggEAAxarqtuGiMY51nCxeezeYZ2+RAkcXMzTHXgqCdyuu4ST\n\
1B/AjVAf9zuiUixaIkv6UT7L2ISeZNNmU5Z5oXXkpO205IHBJy2dEdScseMAZ8Pk\n\
8s12IIJfFXFVcZKeHHs0wHLfjbAvyzRYRJjOAjbjcenP1gNFMJXQpViIeYB1GLok\n\
f6t7KacTyoWjaEI84ULrDckbV+XrtATT3NM4+KLG0TwscX4lOd3uAJ0Ii4/iS52T\n\
hBJoHeWEvdqu2Ybppc5gllfFTjaMFqy4Zcxz7GVZdkyt4rgmhLnTO2sXqhpFROXF\n\
aLLt7eUoPoCD3gU8rfyA3aei2tut3jyrA6jP6HGuIQKBgQD+jTwbJu4FIRrok6eM\n\
kbledbW8sZyZDh9V5wrXCRTtNAlvFZCWGvprN/q6yqLyKDg2dAx1z8sDR/1deCS2\n\
TNLcmuNHYU/RAKciKyyCKjCSx/yJGjba9MpQgZvlMLNnBw1BmmdSgOwfwu3xhHvJ\n\
IyddqaHMhoyFQ/0wwWsbJstZcQKBgQDwa1RXQq3gK8uf7gd2QTRl71NUlU0Jyssw\n\
sXp3WnpJwsJU1ODBPs4kd4bEN5Pxgj9Ibbk4NJMf3s291GN+XXOOVAxEV64Vqh+6\n\
UfS4GWQNgF9n6BDbBF+zdC2GbjNfRGjvZmL0tydpTPzw+fa3tgWGalkMcDx48swW\n\
TZ/2Fu+SLwKBgFzQcpIT58XHBGC5NeZzW/utP87FlCvakmJoE/PEQ/UZfDcczdNt\n\
ktF1X96r9C4HrDduqPxr/8H6hc+G9xvhdyEo+KYWPVwfuNEknN35NCzQ7quu+0Fq\n\
8DnaiFVRJJj0YUkCW5ohl/ccxFXD0L7OKpRkPbKtfJ864x7b54nG426BAoGBAOdM\n\
qzDkcrnoCJhN/ZnUs5+aN5Z5qUtRcljfds4bGumZ2TKaN71TOio1YE+olMnWICID\n\
hh2/3wfbaB9IlYv+Rm1ZCRA7Nr2bFblAner8apjet2sVBhpgQ943WJErtnriKv6f\n\
h3aeOumA6xy/r5AhK4GdERz5YgSOurB+b/XnLQd7AoGANF5VsoSR3pNBNaXSS5xR\n\
tl3ztsPjmizDx+NH13yWAU6A1CdAY3k4eK8LLWXyhYANhvn3wxFafoZNgJE1ZAXh\n\
V1fxQHCszyOt0UjrZtyQW5CCkTSbp8eZGfUE3L2UmxgK6U9zws5vRP3IRGWLB3xK\n\
ZgmUmkr/HUpuM3CdGo8wq/A=\n\
-----END PRIVATE KEY-----\n";

/// Its public key.
pub(super) const RSA_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA7w8hPq/eDiNBz3CTpSQ+\n\
mjvUIuIwLO7p2E3xUpXiQgxUAUFhok4L0DHhtQyTTwhDOzUnZmBVyNMKMIf96EXq\n\
pwApcVDh6vsxuAgxTbKD4a7tmEo53l/ZltLffcA9O7N9oMcHunfq6TF34kM3oyYf\n\
QSAEF+ramFcaIv8gBBUsHKFAVNwct21s7qfL/BzN5EYwwrmA2Agjiq7MYC5Bbn9I\n\
w0PUJD01qh/xVaI9lGuKaLuQI4fMmjh+cWKUFaY74S4L9J2iLXrRT5ViipqOh4Sa\n\
IS7yrzB1fkG3G8OzbABe0GBMnYzrVuYCgH1q+GkKOUpCllAXGB5CCybHOPk6Ttbd\n\
vwIDAQAB\n\
-----END PUBLIC KEY-----\n";

/// P-256 private key (PKCS#8).
pub(super) const EC_PRIVATE: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1U6stVFixzgaHQXh\n\
8vN+sOQyRPVbB1CrRSWVGS2j+9GhRANCAAT3MCPF2qobD44vrX7/TnWZ5/2VBOLA\n\
uReJCiZZ1+qzp8eFPGRJTfJVMqizD5tVFf8KZc/xrrm/hprA71u9vgcd\n\
-----END PRIVATE KEY-----\n";

/// Its public key.
pub(super) const EC_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9zAjxdqqGw+OL61+/051mef9lQTi\n\
wLkXiQomWdfqs6fHhTxkSU3yVTKosw+bVRX/CmXP8a65v4aawO9bvb4HHQ==\n\
-----END PUBLIC KEY-----\n";

/// Ed25519 private key (PKCS#8).
pub(super) const ED_PRIVATE: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEINZF90u08dFCjmgYtdsvBM2n31zM45I8N1HICy56522h\n\
-----END PRIVATE KEY-----\n";

/// Its public key.
pub(super) const ED_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MCowBQYDK2VwAyEA8wx5FBGNXmszZziAbrui1wOxLGz74TydJo57Y+zAApk=\n\
-----END PUBLIC KEY-----\n";
