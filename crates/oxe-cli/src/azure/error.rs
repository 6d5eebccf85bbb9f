//! Why an Azure call failed, with the stable `OXE_E_AZURE_*` code the SDK
//! puts on the JS error and the message (English or Brazilian Portuguese)
//! the command line prints. Messages name the `az` command that failed and
//! what to do about it.

use oxe_runtime::store::StoreError;
use oxe_runtime::OxeError;

use crate::i18n::Lang;

#[derive(Debug, thiserror::Error)]
pub enum AzureError {
    /// `az` is not on PATH (or could not be started).
    #[error("Azure CLI not installed: `az version` could not run ({detail}). Install the Azure CLI (https://aka.ms/installazurecli) and make sure `az` is on PATH.")]
    CliMissing { detail: String },
    /// `az account show` failed: no signed-in session.
    #[error("No Azure session: `az account show` failed. Run \"oxe-cc azure auth login\".")]
    NotLoggedIn,
    /// `az …` exited with a non-zero status.
    #[error("`{command}` failed (exit {status}): {detail}")]
    CommandFailed {
        command: String,
        status: i32,
        detail: String,
    },
    /// `az …` did not finish in time and was killed.
    #[error(
        "`{command}` timed out after {ms} ms and was stopped. Check the network / VPN and retry."
    )]
    Timeout { command: String, ms: u64 },
    /// `az …` answered something that is not JSON.
    #[error("`{command}` did not answer valid JSON ({detail}); nothing was written. Check the Azure CLI version and its configured output.")]
    BadJson { command: String, detail: String },
    /// The resource-graph extension is missing and could not be installed.
    #[error("The Azure CLI resource-graph extension is missing: {detail}. Install it with `az extension add --name resource-graph`.")]
    Extension { detail: String },
    /// A required input is empty (`--name`, `--resource-group`, …).
    #[error("Missing {label}.")]
    MissingInput { label: String },
    /// An unknown domain, kind or verb.
    #[error("{en}")]
    Unsupported { en: String, pt: String },
    /// The environment variable that should hold the SQL admin password is unset.
    #[error("The environment variable {env} is not set (it must hold the SQL admin password).")]
    SecretMissing { env: String },
    /// The mutation is denied by policy (a firewall range too wide) and
    /// `--override-policy` was not given.
    #[error("Blocked by policy: {reason}")]
    PolicyBlocked { reason: String },
    /// The project requires a VPN and `--vpn-confirmed` was not given.
    #[error("This project requires a VPN for Azure mutations (azure.vpn_required). Connect, then re-run with --vpn-confirmed.")]
    VpnRequired,
    /// A file could not be written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A core error (a session id that would leave `.oxe/`, …).
    #[error(transparent)]
    Core(#[from] OxeError),
}

pub type AzureResult<T> = Result<T, AzureError>;

impl From<crate::runtime_cmd::ops::OpError> for AzureError {
    fn from(e: crate::runtime_cmd::ops::OpError) -> Self {
        AzureError::Core(e.into_core(Lang::En))
    }
}

impl AzureError {
    /// The stable code (`error.code` in JS).
    pub fn code(&self) -> &'static str {
        match self {
            AzureError::CliMissing { .. } => "OXE_E_AZURE_CLI_MISSING",
            AzureError::NotLoggedIn => "OXE_E_AZURE_NOT_LOGGED_IN",
            AzureError::CommandFailed { .. } => "OXE_E_AZURE_COMMAND_FAILED",
            AzureError::Timeout { .. } => "OXE_E_AZURE_TIMEOUT",
            AzureError::BadJson { .. } => "OXE_E_AZURE_BAD_JSON",
            AzureError::Extension { .. } => "OXE_E_AZURE_EXTENSION",
            AzureError::MissingInput { .. } => "OXE_E_AZURE_INPUT",
            AzureError::Unsupported { .. } => "OXE_E_AZURE_UNSUPPORTED",
            AzureError::SecretMissing { .. } => "OXE_E_AZURE_SECRET_MISSING",
            AzureError::PolicyBlocked { .. } => "OXE_E_AZURE_POLICY",
            AzureError::VpnRequired => "OXE_E_AZURE_VPN_REQUIRED",
            AzureError::Store(e) => e.code(),
            AzureError::Core(e) => e.code(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            AzureError::CliMissing { detail } => format!(
                "Azure CLI não instalada: `az version` não pôde ser executado ({detail}). Instale a Azure CLI (https://aka.ms/installazurecli) e garanta que `az` esteja no PATH."
            ),
            AzureError::NotLoggedIn => "Sessão Azure ausente: `az account show` falhou. Execute \"oxe-cc azure auth login\".".into(),
            AzureError::CommandFailed { command, status, detail } => {
                format!("`{command}` falhou (saída {status}): {detail}")
            }
            AzureError::Timeout { command, ms } => format!(
                "`{command}` excedeu {ms} ms e foi interrompido. Verifique a rede / VPN e tente de novo."
            ),
            AzureError::BadJson { command, detail } => format!(
                "`{command}` não respondeu JSON válido ({detail}); nada foi gravado. Verifique a versão da Azure CLI e a saída configurada."
            ),
            AzureError::Extension { detail } => format!(
                "Extensão resource-graph da Azure CLI ausente: {detail}. Instale com `az extension add --name resource-graph`."
            ),
            AzureError::MissingInput { label } => format!("Informe {label}."),
            AzureError::Unsupported { pt, .. } => pt.clone(),
            AzureError::SecretMissing { env } => format!(
                "A variável de ambiente {env} não está definida (ela deve conter a senha do admin SQL)."
            ),
            AzureError::PolicyBlocked { reason } => format!("Bloqueado por política: {reason}"),
            AzureError::VpnRequired => "Este projeto exige VPN para mutações Azure (azure.vpn_required). Conecte-se e reexecute com --vpn-confirmed.".into(),
            AzureError::Store(e) => e.to_string(),
            AzureError::Core(e) => e.to_string(),
        }
    }
}
