namespace Hanlin.Models.Lora;

/// <summary>A linear projection of a decoder block that a LoRA adapter can adapt (PEFT's <c>target_modules</c> names in comments).</summary>
public enum LoraTargetModule
{
    /// <summary><c>q_proj</c>: [heads·headDim, dim].</summary>
    QProj,

    /// <summary><c>k_proj</c>: [kvHeads·headDim, dim].</summary>
    KProj,

    /// <summary><c>v_proj</c>: [kvHeads·headDim, dim].</summary>
    VProj,

    /// <summary><c>o_proj</c>: [dim, heads·headDim].</summary>
    OProj,

    /// <summary><c>gate_proj</c>: [hidden, dim].</summary>
    GateProj,

    /// <summary><c>up_proj</c>: [hidden, dim].</summary>
    UpProj,

    /// <summary><c>down_proj</c>: [dim, hidden].</summary>
    DownProj,
}
