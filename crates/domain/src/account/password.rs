//! 密码规则: what a new password must be.
//!
//! The rules follow current advice (NIST SP 800-63B) rather than the old composition rules:
//! - 8 to 128 characters, counted as characters, not bytes (a Chinese passphrase is fine);
//! - no rules about upper case, digits or symbols;
//! - not one of the most common passwords, compared without regard to case;
//! - not the username.
//!
//! Passwords are never trimmed: a space is a character like any other.

use crate::error::ParseError;

/// The fewest characters in a password.
pub const MIN_CHARS: usize = 8;
/// The most characters in a password.
pub const MAX_CHARS: usize = 128;

/// 密码问题: why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error("密码至少需要 8 个字符")]
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    #[error("密码不能超过 128 个字符")]
    TooLong,
    /// One of the most common passwords.
    #[error("这个密码太常见，很容易被猜到，请换一个")]
    TooCommon,
    /// The same as the username.
    #[error("密码不能与用户名相同")]
    EqualsUsername,
}

impl PasswordProblem {
    /// The stable, machine-readable code, e.g. `password_too_short`.
    pub fn code(&self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password_too_short",
            PasswordProblem::TooLong => "password_too_long",
            PasswordProblem::TooCommon => "password_too_common",
            PasswordProblem::EqualsUsername => "password_equals_username",
        }
    }

    /// The message for people, in Chinese (the same as `Display`).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl From<PasswordProblem> for ParseError {
    fn from(problem: PasswordProblem) -> Self {
        ParseError::new(problem.code(), problem.to_string())
    }
}

/// Checks a new password for a user; the first problem found is returned.
pub fn check_new_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    if password.to_lowercase() == username.trim().to_lowercase() {
        return Err(PasswordProblem::EqualsUsername);
    }
    if is_common(password) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

/// `true` when the password is on the built-in list of common passwords (ignoring case).
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON_PASSWORDS.contains(&lower.as_str())
}

/// About two hundred of the most common passwords of 8 characters or more, lower case: from the
/// published leak statistics, including the ones popular in China (`woaini1314`, `1qaz2wsx`,
/// `88888888` …). Shorter ones need no listing: the length rule refuses them.
static COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "12345678910",
    "123456789a",
    "12345678a",
    "1234567a",
    "1234567q",
    "11111111",
    "111111111",
    "1111111111",
    "00000000",
    "000000000",
    "0000000000",
    "88888888",
    "888888888",
    "66666666",
    "666666666",
    "99999999",
    "999999999",
    "22222222",
    "33333333",
    "55555555",
    "77777777",
    "12341234",
    "11223344",
    "1122334455",
    "12344321",
    "1234554321",
    "87654321",
    "987654321",
    "0987654321",
    "9876543210",
    "147258369",
    "147852369",
    "741852963",
    "123654789",
    "987456321",
    "123123123",
    "123321123",
    "12121212",
    "121212121",
    "1357924680",
    "13579246",
    "11112222",
    "1234qwer",
    "qwer1234",
    "qwer4321",
    "1qaz2wsx",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "1qazxsw2",
    "zaq12wsx",
    "zaq1xsw2",
    "zaq1zaq1",
    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv",
    "1qaz@wsx",
    "1qaz!qaz",
    "!qaz2wsx",
    "!qaz@wsx",
    "qazwsxedc",
    "qazwsx123",
    "qazwsxedc123",
    "12qwaszx",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "1a2b3c4d",
    "a1b2c3d4",
    "qwertyui",
    "qwertyuiop",
    "qwertyuiop123",
    "qwerty123",
    "qwerty12",
    "qwerty1234",
    "qwertyu1",
    "asdfghjk",
    "asdfghjkl",
    "zxcvbnm123",
    "zxcvbnm1",
    "qweasdzxc",
    "qweasdzxc123",
    "123qweasd",
    "123qweasdzxc",
    "123qwe123",
    "asdasdasd",
    "qweqweqwe",
    "zxczxczxc",
    "asdfasdf",
    "qwerqwer",
    "zxcvzxcv",
    "qwe12345",
    "qwe123456",
    "qwe123qwe",
    "asd12345",
    "asd123456",
    "zxc12345",
    "zxc123456",
    "1234asdf",
    "asdf1234",
    "abcd1234",
    "abcd12345",
    "abc12345",
    "abc123456",
    "abc123abc",
    "a1234567",
    "a12345678",
    "a123456789",
    "aa123456",
    "aa12345678",
    "aa123456789",
    "aa111111",
    "aaaaaaaa",
    "abcdefgh",
    "abcdefg1",
    "1234abcd",
    "123456aa",
    "123456abc",
    "123456qq",
    "qq123456",
    "qq666666",
    "qq5201314",
    "a5201314",
    "5201314a",
    "5201314520",
    "1314520520",
    "52013145201314",
    "woaini1314",
    "woaini520",
    "woaini521",
    "woaini123",
    "woaiwojia",
    "wodemima",
    "iloveyou",
    "iloveyou1",
    "iloveyou520",
    "77585210",
    "password",
    "password1",
    "password12",
    "password123",
    "password!",
    "password1!",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "pass1234",
    "admin123",
    "admin1234",
    "admin888",
    "administrator",
    "root1234",
    "test1234",
    "test123456",
    "welcome1",
    "welcome123",
    "letmein1",
    "letmein123",
    "changeme",
    "changeme123",
    "secret123",
    "hello123",
    "hello1234",
    "helloworld",
    "12345qwert",
    "baseball",
    "football",
    "superman",
    "sunshine",
    "sunshine1",
    "princess",
    "starwars",
    "whatever",
    "trustno1",
    "michael1",
    "jennifer",
    "jordan23",
    "computer",
    "internet",
    "monkey123",
    "dragon123",
    "shadow123",
    "master123",
    "liverpool",
    "chelsea1",
    "arsenal1",
    "pokemon1",
    "blink182",
    "babygirl1",
    "butterfly",
    "charlie1",
    "qwerty12345",
    "11111111a",
    "a11111111",
    "1q2w3e4r5t6y7u",
    "asdfghjkl123",
    "football1",
    "superman1",
    "princess1",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(
            check_new_password("abc", "u"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_new_password("湖州特检安全第一", "u"), Ok(()));
        assert_eq!(
            check_new_password("湖州特检安全", "u"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_new_password(&"好".repeat(128), "u"), Ok(()));
        assert_eq!(
            check_new_password(&"a".repeat(129), "u"),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        for password in [
            "12345678",
            "password",
            "11111111",
            "qwertyui",
            "88888888",
            "123456789",
            "1qaz2wsx",
            "Aa123456",
            "woaini1314",
            "PASSWORD",
            "1QAZ2WSX",
        ] {
            assert_eq!(
                check_new_password(password, "someone"),
                Err(PasswordProblem::TooCommon),
                "{password}"
            );
        }
        assert_eq!(check_new_password("Tejian-demo-2026", "demo-ent-1"), Ok(()));
    }

    #[test]
    fn the_username_is_refused() {
        assert_eq!(
            check_new_password("Demo-Institute", "demo-institute"),
            Err(PasswordProblem::EqualsUsername)
        );
        assert_eq!(
            check_new_password("demo-institute!", "demo-institute"),
            Ok(())
        );
    }

    #[test]
    fn problems_have_codes_and_chinese_messages() {
        let problems = [
            (PasswordProblem::TooShort, "password_too_short"),
            (PasswordProblem::TooLong, "password_too_long"),
            (PasswordProblem::TooCommon, "password_too_common"),
            (PasswordProblem::EqualsUsername, "password_equals_username"),
        ];
        for (problem, code) in problems {
            assert_eq!(problem.code(), code);
            assert!(problem.message().contains("密码"));
            let err: ParseError = problem.into();
            assert_eq!(err.code(), code);
        }
    }

    #[test]
    fn the_list_is_clean() {
        assert!(COMMON_PASSWORDS.len() >= 190);
        let mut seen = std::collections::HashSet::new();
        for password in COMMON_PASSWORDS {
            assert!(seen.insert(password), "duplicate {password}");
            assert_eq!(password.to_lowercase(), *password);
            assert!(password.chars().count() >= MIN_CHARS, "{password}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(password in any::<String>(), username in any::<String>()) {
            let _ = check_new_password(&password, &username);
        }

        #[test]
        fn long_random_passwords_pass(password in "[a-zA-Z0-9]{20,40}") {
            prop_assert_eq!(check_new_password(&password, "someone"), Ok(()));
        }
    }
}
